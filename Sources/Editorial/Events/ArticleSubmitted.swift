import Foundation

/// The working text was offered for review.
public struct ArticleSubmitted: Codable, Sendable, Hashable {
    /// Who submitted it.
    public var by: String
    /// When it was submitted.
    public var at: Date

    /// Creates the event.
    public init(by: String, at: Date) {
        self.by = by
        self.at = at
    }
}
