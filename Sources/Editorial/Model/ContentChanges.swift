/// A partial update of an article's content; a nil field leaves that field unchanged.
public struct ContentChanges: Codable, Sendable, Hashable {
    /// The new headline, or nil to keep it.
    public var title: String?
    /// The new lead paragraph, or nil to keep it.
    public var lead: String?
    /// The new body, or nil to keep it.
    public var body: String?
    /// The new section, or nil to keep it.
    public var section: String?
    /// The new tags (replacing all of them), or nil to keep them.
    public var tags: [String]?

    /// Creates a set of changes; omitted fields stay as they are.
    public init(
        title: String? = nil,
        lead: String? = nil,
        body: String? = nil,
        section: String? = nil,
        tags: [String]? = nil
    ) {
        self.title = title
        self.lead = lead
        self.body = body
        self.section = section
        self.tags = tags
    }

    /// The changes that turn `old` into `new`, naming only the fields that differ.
    public init(from old: ArticleContent, to new: ArticleContent) {
        self.init(
            title: old.title == new.title ? nil : new.title,
            lead: old.lead == new.lead ? nil : new.lead,
            body: old.body == new.body ? nil : new.body,
            section: old.section == new.section ? nil : new.section,
            tags: old.tags == new.tags ? nil : new.tags
        )
    }

    /// True when no field is set, so applying the changes cannot alter anything.
    public var isEmpty: Bool {
        title == nil && lead == nil && body == nil && section == nil && tags == nil
    }

    /// The content with these changes applied.
    public func applied(to content: ArticleContent) -> ArticleContent {
        ArticleContent(
            title: title ?? content.title,
            lead: lead ?? content.lead,
            body: body ?? content.body,
            section: section ?? content.section,
            tags: tags ?? content.tags
        )
    }

    /// These changes without the fields that already hold the same value in `content`.
    ///
    /// Events record only what really changed, so the audit log never claims an edit that did nothing.
    public func droppingUnchanged(in content: ArticleContent) -> ContentChanges {
        ContentChanges(from: content, to: applied(to: content))
    }
}
