import Foundation

/// An archived article was brought back to be worked on again.
public struct ArticleRestored: Codable, Sendable, Hashable {
    /// The status it came back to: `unpublished` when it was ever live, else `draft`.
    ///
    /// Recorded rather than worked out again on every fold, so the history reads the same whatever the rules become.
    public var status: ArticleStatus
    /// Why, in the publisher's words, if they gave a reason.
    public var reason: String?
    /// Who restored it.
    public var by: String
    /// When it was restored.
    public var at: Date

    /// Creates the event.
    public init(status: ArticleStatus, reason: String? = nil, by: String, at: Date) {
        self.status = status
        self.reason = reason
        self.by = by
        self.at = at
    }
}
