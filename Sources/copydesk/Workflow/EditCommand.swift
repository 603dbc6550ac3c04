import ArgumentParser
import Copydesk
import Editorial
import Foundation

/// `copydesk edit`: changes an article's text: given on the command line, by replacing words, or in an editor.
struct EditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Change an article's title, lead, body, section or tags: in $VISUAL/$EDITOR, or as options.",
        discussion: """
            With no text options, opens the article in $VISUAL (or $EDITOR, else vi) in the seed layout: title, \
            blank line, section (>> original date), title again, lead, blank line, body. Saving and quitting edits \
            the version that was opened: if someone changed the article meanwhile, nothing is written, the edit \
            is refused as a conflict (exit 3) and your text is kept in a file whose path is printed.

            --replace OLD=NEW replaces every OLD, exactly as typed, in the title, lead and body (or the fields \
            named with --in), and prints how many it replaced; when OLD is nowhere, nothing is written (exit 5).

            Editing an approved article sends it back to review; editing a published one creates a pending \
            revision while the live text stays.
            """)

    @Argument(help: "The article's id.") var id: ArticleID
    @Option(help: "The new headline.") var title: String?
    @Option(help: "The new lead paragraph.") var lead: String?
    @Option(help: "The new body text.") var body: String?
    @Option(help: "Read the new body from this UTF-8 file ('-' for standard input).") var bodyFile: String?
    @Option(help: "The new section.") var section: String?
    @Option(name: .customLong("tag"), help: "A tag; repeat for several. Replaces all tags.") var tags: [String] = []
    @Option(
        name: .customLong("replace"),
        help: ArgumentHelp(
            "Replace every OLD with NEW (split at the first =), e.g. Асхад=Асхат; repeat for several.",
            valueName: "OLD=NEW"),
        transform: TextReplacement.parse)
    var replacements: [TextReplacement] = []
    @Option(
        name: .customLong("in"),
        help: ArgumentHelp("With --replace: only in this field (title, lead or body); repeatable.", valueName: "field"))
    var fields: [TextReplacement.Field] = []
    @Option(help: "Apply only if the article is still at this version (see `copydesk show`).") var expectVersion: Int64?
    @Option(help: "Why the text changed, for the history.") var note: String?
    @OptionGroup var actingUser: ActingUserOptions

    func validate() throws {
        if body != nil && bodyFile != nil { throw ValidationError("give the body with --body or --body-file, not both") }
        if !fields.isEmpty && replacements.isEmpty {
            throw ValidationError("--in says where --replace replaces; give --replace OLD=NEW")
        }
        if !replacements.isEmpty && (title != nil || lead != nil || body != nil || bodyFile != nil) {
            throw ValidationError(
                "--replace changes the text that is there; give it or a new --title, --lead, --body, not both")
        }
    }

    /// No text given at all: the article opens in the editor.
    private var opensEditor: Bool {
        replacements.isEmpty && title == nil && lead == nil && body == nil && bodyFile == nil && section == nil
            && tags.isEmpty
    }

    func run() async throws {
        if !replacements.isEmpty { return try await replace() }
        if opensEditor { return try await EditorSession(command: self).run() }
        try await reportingErrors {
            let changes = ContentChanges(
                title: title, lead: lead, body: try bodyFile.map(readText) ?? body, section: section,
                tags: tags.isEmpty ? nil : tags)
            try await runWorkflow(
                .edit(changes, note: note), on: id.uuid, actingUser: actingUser, expectedVersion: expectVersion)
        }
    }

    /// `--replace`: applied to the text as it is now, and written only if the article is still at that version.
    private func replace() async throws {
        try await reportingErrors {
            let backend = try await backendFromEnvironment()
            let article = try await Self.current(id.uuid, in: backend)
            let all = TextReplacement.Field.allCases
            let places = fields.isEmpty ? all : all.filter { fields.contains($0) }
            var outcome = try TextReplacement.apply(replacements, in: places, to: article.workingText)
            if let section { outcome.changes.section = section }
            if !tags.isEmpty { outcome.changes.tags = tags }
            try await runWorkflow(
                .edit(outcome.changes, note: note), on: id.uuid, actingUser: actingUser,
                expectedVersion: expectVersion ?? article.version, backend: backend)
            print(TextReplacement.summary(outcome))
        }
    }

    /// The article as it is now, or `articleNotFound`.
    static func current(_ id: UUID, in backend: any Backend) async throws -> ArticleView {
        guard let article = try await backend.article(id) else { throw WorkflowError.articleNotFound(id) }
        return article
    }
}

extension ArticleView {
    /// The working text (the pending revision, when there is one).
    var workingText: ArticleContent {
        ArticleContent(title: title, lead: lead, body: body, section: section, tags: tags)
    }
}
