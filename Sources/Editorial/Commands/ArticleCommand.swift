import Foundation

/// A request to change an article, carrying everything the pure domain may not look up itself: who and when.
public struct ArticleCommand: Sendable, Hashable {
    /// Who asks; the rules check their role and name.
    public var actor: Actor
    /// When the command runs; it becomes the `at` of every event it produces.
    public var at: Date
    /// What the actor asks for.
    public var action: Action

    /// Creates a command.
    public init(actor: Actor, at: Date, action: Action) {
        self.actor = actor
        self.at = at
        self.action = action
    }

    /// What a command asks for, with its arguments.
    public enum Action: Sendable, Hashable {
        /// Create the article `id` with its first text; `originalDate` (ISO `yyyy-mm-dd`) comes from import.
        case draft(id: UUID, content: ArticleContent, originalDate: String?)
        /// Change the working text, with an optional note for the history.
        case edit(ContentChanges, note: String?)
        /// Make the text of version `toVersion` the working text again, as an edit with an optional note.
        ///
        /// The decider keeps only the present, so `content` is that version's text as the caller looked it up
        /// (`CommandService` does, when it is nil); nil reaching the decider refuses the command.
        case revert(toVersion: Int64, content: ArticleContent?, note: String?)
        /// Offer the working text for review.
        case submit
        /// Send the article back to its writers; the reason must not be blank.
        case requestChanges(reason: String)
        /// Accept the article, with an optional note.
        case approve(note: String?)
        /// Publish now (`at` nil, or within `ArticleDecider.nowTolerance` of the command's time) or schedule for a
        /// later `at`; a time already past is refused.
        case publish(at: Date?)
        /// Cancel a scheduled publication, with an optional reason.
        case unschedule(reason: String?)
        /// Publish a scheduled article whose time has come; refused before its scheduled time.
        case publishDue
        /// Withdraw the article from the live set; the reason must not be blank.
        case unpublish(reason: String)
        /// Close the article for good.
        case archive
        /// Bring an archived article back, with an optional reason.
        case restore(reason: String?)
        /// Add a review note; the text must not be blank.
        case comment(text: String)

        /// The command's name without its arguments.
        public var kind: CommandKind {
            switch self {
            case .draft: .draft
            case .edit: .edit
            case .revert: .revert
            case .submit: .submit
            case .requestChanges: .requestChanges
            case .approve: .approve
            case .publish: .publish
            case .unschedule: .unschedule
            case .publishDue: .publishDue
            case .unpublish: .unpublish
            case .archive: .archive
            case .restore: .restore
            case .comment: .comment
            }
        }

        /// The first of the command's texts that holds a NUL character (U+0000), by its name.
        ///
        /// No stored text may hold one: PostgreSQL's text cannot, and no article needs one.
        public var fieldHoldingNUL: String? {
            let fields: [(String, String?)]
            switch self {
            case .draft(_, let content, let originalDate):
                fields = [("title", content.title), ("lead", content.lead), ("body", content.body),
                          ("section", content.section), ("original date", originalDate)]
                    + content.tags.map { ("tag", $0) }
            case .edit(let changes, let note):
                fields = [("title", changes.title), ("lead", changes.lead), ("body", changes.body),
                          ("section", changes.section), ("note", note)]
                    + (changes.tags ?? []).map { ("tag", $0) }
            case .requestChanges(let reason), .unpublish(let reason):
                fields = [("reason", reason)]
            case .unschedule(let reason), .restore(let reason):
                fields = [("reason", reason)]
            case .revert(_, _, let note):
                fields = [("note", note)]
            case .approve(let note):
                fields = [("note", note)]
            case .comment(let text):
                fields = [("comment", text)]
            case .submit, .publish, .publishDue, .archive:
                fields = []
            }
            return fields.first { $0.1?.utf8.contains(0) == true }?.0
        }
    }
}
