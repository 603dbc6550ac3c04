import Editorial
import Foundation

/// What changed in an article's text between two versions, field by field, word by word.
public struct ArticleDiff: Codable, Sendable, Hashable {
    /// The article's id.
    public let id: UUID
    /// The version compared from (the "old" side).
    public let from: Int64
    /// The version compared to (the "new" side).
    public let to: Int64
    /// Every content field, in a fixed order: title, lead, body, section, tags.
    public let fields: [FieldDiff]

    /// Creates a diff from its parts.
    public init(id: UUID, from: Int64, to: Int64, fields: [FieldDiff]) {
        self.id = id
        self.from = from
        self.to = to
        self.fields = fields
    }

    /// The diff of every content field between two texts.
    public init(id: UUID, from: Int64, to: Int64, old: ArticleContent, new: ArticleContent) {
        // Tags are diffed as the comma-separated list people type and read.
        let tags = { (content: ArticleContent) in content.tags.joined(separator: ", ") }
        self.init(
            id: id, from: from, to: to,
            fields: [
                FieldDiff(field: "title", old: old.title, new: new.title),
                FieldDiff(field: "lead", old: old.lead, new: new.lead),
                FieldDiff(field: "body", old: old.body, new: new.body),
                FieldDiff(field: "section", old: old.section, new: new.section),
                FieldDiff(field: "tags", old: tags(old), new: tags(new), changed: old.tags != new.tags),
            ])
    }
}

/// One content field in an `ArticleDiff`.
public struct FieldDiff: Codable, Sendable, Hashable {
    /// The field: `title`, `lead`, `body`, `section` or `tags`.
    public let field: String
    /// True when the field differs between the two versions.
    public let changed: Bool
    /// The field's word diff; a single `same` segment (or none, when empty) if unchanged.
    public let segments: [DiffSegment]

    /// Creates a field diff from its parts.
    public init(field: String, changed: Bool, segments: [DiffSegment]) {
        self.field = field
        self.changed = changed
        self.segments = segments
    }

    /// Diffs one field's old and new text.
    init(field: String, old: String, new: String, changed: Bool? = nil) {
        // Compare bytes: `String ==` treats canonically equivalent spellings as equal, and an edit between them is
        // still an edit.
        self.init(
            field: field, changed: changed ?? !old.utf8.elementsEqual(new.utf8),
            segments: WordDiff.segments(from: old, to: new))
    }
}

extension ArticleQueries {
    /// The diff of the article's text between versions `from` and `to`, rebuilt from its events.
    ///
    /// With both nil, compares the last two versions that changed the text (a draft or an edit). Throws
    /// `WorkflowError.articleNotFound` for an unknown id and `WorkflowError.invalidInput` for a version the article
    /// does not have, for only one of the two versions, or when its text has only one version to compare.
    public func diff(_ id: UUID, from: Int64?, to: Int64?) async throws -> ArticleDiff {
        let events = try await events(of: id)
        guard !events.isEmpty else { throw WorkflowError.articleNotFound(id) }
        let (old, new) = try Self.versions(from: from, to: to, of: id, in: events)
        try Self.check(old, of: id, versions: events.count)
        try Self.check(new, of: id, versions: events.count)
        let before = try Self.state(of: id, folding: events.prefix(Int(old)))
        let after = try Self.state(of: id, folding: events.prefix(Int(new)))
        return ArticleDiff(id: id, from: old, to: new, old: before.content, new: after.content)
    }

    /// The versions to compare: the ones given, or by default the last two that changed the text.
    private static func versions(
        from: Int64?, to: Int64?, of id: UUID, in events: [ArticleEvent]
    ) throws -> (Int64, Int64) {
        switch (from, to) {
        case (let from?, let to?):
            return (from, to)
        case (nil, nil):
            let contentVersions = events.enumerated().compactMap { offset, event -> Int64? in
                switch event {
                case .drafted, .edited: Int64(offset + 1)
                case .submitted, .changesRequested, .approved, .publicationScheduled, .publicationUnscheduled,
                    .published, .unpublished, .archived, .restored, .commented:
                    nil
                }
            }
            guard contentVersions.count >= 2 else {
                throw WorkflowError.invalidInput(
                    "article \(id.lowercased) has only one version of its text (version 1, the draft), so there is "
                        + "nothing to compare yet; name two versions to compare any others (1...\(events.count))")
            }
            return (contentVersions[contentVersions.count - 2], contentVersions[contentVersions.count - 1])
        default:
            throw WorkflowError.invalidInput("give both versions to compare, or neither")
        }
    }
}
