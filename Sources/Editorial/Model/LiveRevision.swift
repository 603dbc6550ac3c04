import Foundation

/// The text readers currently see, with when and by whom it went live.
public struct LiveRevision: Codable, Sendable, Hashable {
    /// The content that went live; later edits do not touch it until they are published.
    public var content: ArticleContent
    /// When this text went live.
    public var publishedAt: Date
    /// Who put it live (a publisher, or `scheduler` for scheduled publication).
    public var publishedBy: String

    /// Creates a live revision.
    public init(content: ArticleContent, publishedAt: Date, publishedBy: String) {
        self.content = content
        self.publishedAt = publishedAt
        self.publishedBy = publishedBy
    }
}
