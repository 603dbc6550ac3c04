/// The text of an article, kept exactly as written: no trimming or normalisation, so import keeps every character.
public struct ArticleContent: Codable, Sendable, Hashable {
    /// The headline; never blank.
    public var title: String
    /// The lead paragraph shown under the headline.
    public var lead: String
    /// The body paragraphs, separated by blank lines.
    public var body: String
    /// The newspaper section, e.g. "Политика".
    public var section: String
    /// Free-form tags, in the order given.
    public var tags: [String]

    /// Creates article content; only the title is needed to start a draft.
    public init(title: String, lead: String = "", body: String = "", section: String = "", tags: [String] = []) {
        self.title = title
        self.lead = lead
        self.body = body
        self.section = section
        self.tags = tags
    }
}
