import Editorial
import Foundation
import Postgres

/// Why a workflow command or query did not happen. Nothing was written in any of these cases.
///
/// The cases carry facts (state, allowed commands, versions, names); `description` states them in
/// plain words, for logs and tools. Advice is the interface's to give, in its own terms: the CLI
/// names commands and flags (`WorkflowError+CLI` in the executable), the HTTP API names routes,
/// headers and JSON types (`ProblemMiddleware`).
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
    /// The command id was handled before for a different request, whose result stands.
    case commandIdReused(UUID)
    /// The rules for managing users refused the change (not an admin, no reason, already so...).
    case userRefused(UserRefusal)

    public var description: String {
        switch self {
        case .refused(let refusal):
            refusal.description
        case .conflict(let article, let expected, let actual):
            "version conflict: article \(article.lowercased) is at version \(actual), not \(expected); "
                + "nothing was written"
        case .articleNotFound(let id):
            "no article with id \(id.lowercased)"
        case .unknownUser(let name):
            "unknown user \"\(name)\""
        case .invalidInput(let message):
            message
        case .userRefused(let refusal):
            "cannot change user \"\(refusal.user)\": \(refusal)"
        case .commandIdReused(let id):
            "command id \(id.lowercased) was already used for a different request, whose result stands; "
                + "nothing was written"
        }
    }
}

extension UUID {
    /// The lowercase form Copydesk prints and stores.
    public var lowercased: String { postgresText }
}
