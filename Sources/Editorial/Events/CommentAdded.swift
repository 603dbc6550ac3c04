import Foundation

/// Someone left a review note; content and status stay as they were.
public struct CommentAdded: Codable, Sendable, Hashable {
    /// The note.
    public var text: String
    /// Who wrote it.
    public var by: String
    /// When it was written.
    public var at: Date

    /// Creates the event.
    public init(text: String, by: String, at: Date) {
        self.text = text
        self.by = by
        self.at = at
    }
}
