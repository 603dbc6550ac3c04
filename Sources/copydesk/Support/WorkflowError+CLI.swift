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
        case .refused, .invalidInput, .commandIdReused, .userRefused:
            description
        }
    }
}
