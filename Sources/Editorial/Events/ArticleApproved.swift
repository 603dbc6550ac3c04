import Foundation

/// An editor who did not write the revision accepted it.
public struct ArticleApproved: Codable, Sendable, Hashable {
    /// The approver's note, if any.
    public var note: String?
    /// Who approved.
    public var by: String
    /// When they approved.
    public var at: Date

    /// Creates the event.
    public init(note: String? = nil, by: String, at: Date) {
        self.note = note
        self.by = by
        self.at = at
    }
}
