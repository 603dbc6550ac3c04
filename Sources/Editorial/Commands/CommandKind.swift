/// The name of each command without its arguments; raw values are the CLI and API spellings.
public enum CommandKind: String, CaseIterable, Sendable, Codable {
    /// Create an article.
    case draft
    /// Change the working text.
    case edit
    /// Make the text of an earlier version the working text again, as a new edit.
    case revert
    /// Offer the working text for review.
    case submit
    /// Send an article in review back to its writers.
    case requestChanges = "request-changes"
    /// Accept an article in review.
    case approve
    /// Put an approved article live, now or at a set time.
    case publish
    /// Cancel a scheduled publication, keeping the approval (and whatever is live).
    case unschedule
    /// Put a scheduled article live once its time has come (the scheduler's command).
    case publishDue = "publish-due"
    /// Withdraw an article from the live set.
    case unpublish
    /// Close an article for good.
    case archive
    /// Bring an archived article back to where it can be worked on.
    case restore
    /// Add a review note.
    case comment

    /// The lowest role that may run this command at all; ownership and four-eyes are checked separately.
    public var minimumRole: Role {
        switch self {
        case .draft, .edit, .revert, .submit, .comment: .author
        case .requestChanges, .approve, .archive: .editor
        case .publish, .unschedule, .publishDue, .unpublish, .restore: .publisher
        }
    }

    /// True for the system's own commands (the scheduler's), which no person runs or is offered.
    public var isInternal: Bool {
        switch self {
        case .publishDue: true
        case .draft, .edit, .revert, .submit, .requestChanges, .approve, .publish, .unschedule, .unpublish, .archive,
            .restore, .comment:
            false
        }
    }

    /// The command as a gerund, for messages such as "publishing needs an approved article".
    var gerund: String {
        switch self {
        case .draft: "drafting"
        case .edit: "editing"
        case .revert: "reverting"
        case .submit: "submitting"
        case .requestChanges: "requesting changes"
        case .approve: "approving"
        case .publish: "publishing"
        case .unschedule: "unscheduling"
        case .publishDue: "publishing a due article"
        case .unpublish: "unpublishing"
        case .archive: "archiving"
        case .restore: "restoring"
        case .comment: "commenting"
        }
    }
}
