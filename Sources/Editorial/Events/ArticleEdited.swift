import Foundation

/// The working text was changed.
public struct ArticleEdited: Codable, Sendable, Hashable {
    /// Only the fields that really changed.
    public var changes: ContentChanges
    /// Why, in the editor's words, if they gave a note.
    public var note: String?
    /// True when the article was approved (or scheduled) and this edit voided the approval, sending it back to review.
    public var sentBackToReview: Bool
    /// True when this is the first edit since the article went live, starting a pending revision.
    public var startedPendingRevision: Bool
    /// The scheduled publication this edit cancelled (an edit voids the approval a schedule rests on).
    public var cancelledSchedule: Date?
    /// The version whose text this edit brought back, when it was a revert.
    public var revertedTo: Int64?
    /// Who edited; they become a contributor of the revision and so cannot approve it.
    public var by: String
    /// When the edit was made.
    public var at: Date

    /// Creates the event.
    public init(
        changes: ContentChanges,
        note: String? = nil,
        sentBackToReview: Bool = false,
        startedPendingRevision: Bool = false,
        cancelledSchedule: Date? = nil,
        revertedTo: Int64? = nil,
        by: String,
        at: Date
    ) {
        self.changes = changes
        self.note = note
        self.sentBackToReview = sentBackToReview
        self.startedPendingRevision = startedPendingRevision
        self.cancelledSchedule = cancelledSchedule
        self.revertedTo = revertedTo
        self.by = by
        self.at = at
    }
}
