import Foundation

/// The article was closed for good.
public struct ArticleArchived: Codable, Sendable, Hashable {
    /// Who archived it.
    public var by: String
    /// When it was archived.
    public var at: Date

    /// Creates the event.
    public init(by: String, at: Date) {
        self.by = by
        self.at = at
    }
}
