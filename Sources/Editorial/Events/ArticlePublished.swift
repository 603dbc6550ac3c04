import Foundation

/// A text went live: the working text, or (publishing an unpublished article again) the text last withdrawn.
public struct ArticlePublished: Codable, Sendable, Hashable {
    /// The text that went live, recorded in full so every live revision can be rebuilt from this event alone.
    public var content: ArticleContent
    /// The time it was scheduled for, when the scheduler published it.
    public var scheduledFor: Date?
    /// How late a scheduled publication went out (`at - scheduledFor`), so a missed schedule stays visible.
    public var latenessSeconds: Double?
    /// Who published (a publisher, or `scheduler`).
    public var by: String
    /// When it went live.
    public var at: Date

    /// Creates the event.
    public init(
        content: ArticleContent,
        scheduledFor: Date? = nil,
        latenessSeconds: Double? = nil,
        by: String,
        at: Date
    ) {
        self.content = content
        self.scheduledFor = scheduledFor
        self.latenessSeconds = latenessSeconds
        self.by = by
        self.at = at
    }
}
