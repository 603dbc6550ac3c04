/// The name of each command without its arguments; raw values are the CLI and API spellings.
public enum CommandKind: String, CaseIterable, Sendable, Codable {
    /// Create an article.
    case draft
    /// Change the working text.
    case edit
    /// Offer the working text for review.
    case submit
    /// Send an article in review back to its writers.
    case requestChanges = "request-changes"
    /// Accept an article in review.
    case approve
    /// Put an approved article live, now or at a set time.
    case publish
    /// Put a scheduled article live once its time has come (the scheduler's command).
    case publishDue = "publish-due"
    /// Withdraw an article from the live set.
    case unpublish
    /// Close an article for good.
    case archive
    /// Add a review note.
    case comment

    /// The lowest role that may run this command at all; ownership and four-eyes are checked separately.
    public var minimumRole: Role {
        switch self {
        case .draft, .edit, .submit, .comment: .author
        case .requestChanges, .approve, .archive: .editor
        case .publish, .publishDue, .unpublish: .publisher
        }
    }

    /// The command as a gerund, for messages such as "publishing needs an approved article".
    var gerund: String {
        switch self {
        case .draft: "drafting"
        case .edit: "editing"
        case .submit: "submitting"
        case .requestChanges: "requesting changes"
        case .approve: "approving"
        case .publish: "publishing"
        case .publishDue: "publishing a due article"
        case .unpublish: "unpublishing"
        case .archive: "archiving"
        case .comment: "commenting"
        }
    }
}
