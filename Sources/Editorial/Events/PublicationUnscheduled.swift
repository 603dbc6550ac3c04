import Foundation

/// A publisher cancelled a scheduled publication; the article is approved again and whatever was live stays live.
public struct PublicationUnscheduled: Codable, Sendable, Hashable {
    /// The time the cancelled publication was due, so the history says what was called off.
    public var scheduledFor: Date
    /// Why, in the publisher's words, if they gave a reason.
    public var reason: String?
    /// Who cancelled it.
    public var by: String
    /// When it was cancelled.
    public var at: Date

    /// Creates the event.
    public init(scheduledFor: Date, reason: String? = nil, by: String, at: Date) {
        self.scheduledFor = scheduledFor
        self.reason = reason
        self.by = by
        self.at = at
    }
}
