import Foundation

/// An article was created with its first text.
public struct ArticleDrafted: Codable, Sendable, Hashable {
    /// The new article's id.
    public var id: UUID
    /// The first text.
    public var content: ArticleContent
    /// The original publication date (ISO `yyyy-mm-dd`) of an imported article.
    public var originalDate: String?
    /// Who drafted it; they become the article's author.
    public var by: String
    /// When it was drafted.
    public var at: Date

    /// Creates the event.
    public init(id: UUID, content: ArticleContent, originalDate: String? = nil, by: String, at: Date) {
        self.id = id
        self.content = content
        self.originalDate = originalDate
        self.by = by
        self.at = at
    }
}
