import Foundation

/// An editor sent the article back to its writers.
public struct ChangesRequested: Codable, Sendable, Hashable {
    /// What the writers should change.
    public var reason: String
    /// Who asked for the changes.
    public var by: String
    /// When they asked.
    public var at: Date

    /// Creates the event.
    public init(reason: String, by: String, at: Date) {
        self.reason = reason
        self.by = by
        self.at = at
    }
}
