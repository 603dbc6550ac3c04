/// Why the domain refused a command; no event is written for a refused command.
public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of refusal, for callers that map refusals to exit codes or HTTP statuses.
    public enum Reason: String, Sendable, Hashable, CaseIterable, Codable {
        /// The article does not exist.
        case notFound = "not-found"
        /// An article with this id already exists.
        case alreadyExists = "already-exists"
        /// The command does not apply to the article's current status.
        case wrongState = "wrong-state"
        /// The actor's role is below what the command needs.
        case roleTooLow = "role-too-low"
        /// An author tried to change someone else's article.
        case notOwnArticle = "not-own-article"
        /// The actor wrote or edited the revision they tried to approve.
        case fourEyes = "four-eyes"
        /// A reason or text that must be given was blank.
        case reasonRequired = "reason-required"
        /// The edit would leave the content exactly as it is.
        case nothingToChange = "nothing-to-change"
        /// The content would be invalid, e.g. a blank title.
        case invalidContent = "invalid-content"
        /// A scheduled article's time has not come yet.
        case notDueYet = "not-due-yet"
        /// A publication time given is already past (beyond `ArticleDecider.nowTolerance`).
        case notInFuture = "not-in-future"
        /// A text or the tag list is longer than its documented limit (`Refusal.limit` names it).
        case overLimit = "over-limit"
    }

    /// The kind of refusal.
    public var reason: Reason
    /// The command that was refused.
    public var command: CommandKind
    /// The article's status when the command was refused; nil when the article does not exist.
    public var status: ArticleStatus?
    /// What the same actor could do with the article right now.
    public var allowed: [CommandKind]
    /// Who was refused; the description names them beside the allowed commands.
    public var actor: Actor
    /// Why, including the current state, e.g. "the article is draft; publishing needs an approved article".
    public var message: String
    /// The limit the input exceeded, for an `overLimit` refusal.
    public var limit: InputLimit?

    /// Creates a refusal.
    public init(
        reason: Reason,
        command: CommandKind,
        status: ArticleStatus?,
        allowed: [CommandKind],
        actor: Actor,
        message: String,
        limit: InputLimit? = nil
    ) {
        self.reason = reason
        self.command = command
        self.status = status
        self.allowed = allowed
        self.actor = actor
        self.message = message
        self.limit = limit
    }

    /// One line: what was refused, its real reason, the current state, and what the actor could do instead.
    ///
    /// The decider words a refusal's message state first ("the article is draft; the edit leaves the
    /// content exactly as it is"). Where the state is not the trouble (nothing to change, a role,
    /// four-eyes, a blank title or reason, a limit), this says the reason first. An unchanged edit
    /// lists nothing to do instead: "edit" would be among the allowed commands, just tried.
    public var description: String {
        let options = allowed.isEmpty ? "nothing" : allowed.map(\.rawValue).joined(separator: ", ")
        let stateIsTheReason: Set<Reason> = [.wrongState, .notFound, .alreadyExists, .notDueYet]
        let message = message.singleLine
        guard !stateIsTheReason.contains(reason), message.hasPrefix("the article is "),
            let separator = message.range(of: "; ")
        else { return "cannot \(command.rawValue): \(message). Allowed now for \(actor): \(options)" }
        let state = message[..<separator.lowerBound]
        let why = message[separator.upperBound...]
        if reason == .nothingToChange {
            return "cannot \(command.rawValue): \(why), so nothing was written; \(state)"
        }
        return "cannot \(command.rawValue): \(why); \(state). Allowed now for \(actor): \(options)"
    }
}
