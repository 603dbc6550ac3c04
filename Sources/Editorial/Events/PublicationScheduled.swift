import Foundation

/// A publisher set a time for an approved article to go live.
public struct PublicationScheduled: Codable, Sendable, Hashable {
    /// When the article is due to go live.
    public var scheduledFor: Date
    /// Who scheduled it.
    public var by: String
    /// When it was scheduled.
    public var at: Date

    /// Creates the event.
    public init(scheduledFor: Date, by: String, at: Date) {
        self.scheduledFor = scheduledFor
        self.by = by
        self.at = at
    }
}
