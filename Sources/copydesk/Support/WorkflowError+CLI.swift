import Copydesk
import Editorial

extension WorkflowError {
    /// The error as the command line says it: the facts, then the command or flag that helps.
    var commandLineMessage: String {
        switch self {
        case .conflict(let article, _, let actual):
            description + ". Run `copydesk show \(article.lowercased)` and retry with --expect-version \(actual)"
        case .articleNotFound:
            description + "; `copydesk list` shows the articles there are"
        case .unknownUser:
            description + "; `copydesk user list` shows the users, `copydesk user add` creates one"
        case .userRefused(let refusal) where refusal.reason == .notFound:
            description + "; `copydesk user list` shows the users, `copydesk user add` creates one"
        case .userRefused(let refusal) where refusal.reason == .reasonRequired:
            description + "; give one with --reason"
        case .userRefused(let refusal) where refusal.reason == .disabled:
            description + " (`copydesk user enable \(refusal.user)`)"
        case .refused(let refusal):
            Self.realReasonFirst(refusal)
        case .invalidInput, .commandIdReused, .userRefused:
            description
        }
    }

    /// The refusal with its real reason first. The decider words every refusal as "the article is draft; the
    /// edit leaves the content exactly as it is", which reads as if the state were the trouble; when it is not
    /// (nothing to change, a role, four-eyes, a blank title or reason, a limit), the state comes after. An
    /// unchanged edit lists nothing to do instead: "edit" would be among the allowed commands, just tried.
    static func realReasonFirst(_ refusal: Refusal) -> String {
        let stateIsTheReason: Set<Refusal.Reason> = [.wrongState, .notFound, .alreadyExists, .notDueYet]
        guard !stateIsTheReason.contains(refusal.reason), refusal.message.hasPrefix("the article is "),
            let separator = refusal.message.range(of: "; ")
        else { return refusal.description }
        let state = refusal.message[..<separator.lowerBound]
        let reason = refusal.message[separator.upperBound...]
        if refusal.reason == .nothingToChange {
            return "cannot \(refusal.command.rawValue): \(reason), so nothing was written; \(state)"
        }
        var reordered = refusal
        reordered.message = "\(reason); \(state)"
        return reordered.description
    }
}
