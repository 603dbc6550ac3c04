import Foundation

/// The article was withdrawn from the live set (or its scheduled publication cancelled).
public struct ArticleUnpublished: Codable, Sendable, Hashable {
    /// Why it was withdrawn.
    public var reason: String
    /// True when a scheduled publication was cancelled by this withdrawal.
    public var wasScheduled: Bool
    /// Who withdrew it.
    public var by: String
    /// When it was withdrawn.
    public var at: Date

    /// Creates the event.
    public init(reason: String, wasScheduled: Bool = false, by: String, at: Date) {
        self.reason = reason
        self.wasScheduled = wasScheduled
        self.by = by
        self.at = at
    }
}
