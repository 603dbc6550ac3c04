import Editorial
import Foundation
import Postgres

/// Why a workflow command or query did not happen. Nothing was written in any of these cases.
public enum WorkflowError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The workflow rules refused the command (wrong state, role, four-eyes, missing reason...).
    case refused(Refusal)
    /// The article changed since the version the caller named (or kept changing while we retried).
    case conflict(article: UUID, expected: Int64, actual: Int64)
    /// No article has this id.
    case articleNotFound(UUID)
    /// No user has this name.
    case unknownUser(String)
    /// The input cannot be used (bad id, unreadable file, malformed seed...).
    case invalidInput(String)

    public var description: String {
        switch self {
        case .refused(let refusal):
            refusal.description
        case .conflict(let article, let expected, let actual):
            "version conflict: article \(article.lowercased) is at version \(actual), not \(expected); "
                + "nothing was written. Run `copydesk show \(article.lowercased)` and retry with --expect-version \(actual)"
        case .articleNotFound(let id):
            "no article with id \(id.lowercased); `copydesk list` shows the articles there are"
        case .unknownUser(let name):
            "unknown user \"\(name)\"; `copydesk user list` shows the users, `copydesk user add` creates one"
        case .invalidInput(let message):
            message
        }
    }
}

extension UUID {
    /// The lowercase form Copydesk prints and stores.
    public var lowercased: String { postgresText }
}
