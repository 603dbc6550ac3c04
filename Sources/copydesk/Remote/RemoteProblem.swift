import Copydesk
import Editorial
import Foundation

/// An error answer of the API (RFC 9457 problem+json), turned into what the direct mode would have
/// thrown, so that both modes print the same line and exit with the same status.
///
/// Where the direct mode's error can be rebuilt exactly (no such article, a stale version, invalid
/// input), it is, and the command line words it as usual; a refusal keeps the server's `detail`,
/// which is the refusal's own description, with the exit status its reason gets in the direct mode.
struct RemoteProblem: Decodable, Sendable {
    let type: String?
    let detail: String?
    let currentVersion: Int64?

    /// The problem's kind: the last segment of its `type` URI (`wrong-state`, `stale-version`...).
    var kind: String { type.map { String($0.split(separator: "/").last ?? "") } ?? "" }

    /// The error for this answer with HTTP status `status`, to a request about `article` (when it
    /// named one) that expected `expectedVersion` (when it did).
    func error(status: Int, server: String, article: UUID?, expectedVersion: Int64?) -> any Error {
        let detail = detail ?? "the server answered \(status)"
        switch status {
        case 404 where kind == "not-found":
            if let article { return WorkflowError.articleNotFound(article) }
            return RemoteFailure(detail, status: ExitStatus.notFound)
        case 412 where kind == "stale-version":
            if let article, let currentVersion {
                return WorkflowError.conflict(
                    article: article, expected: expectedVersion ?? currentVersion, actual: currentVersion)
            }
            return RemoteFailure(detail, status: ExitStatus.conflict)
        case 409 where kind == "version-conflict":
            return RemoteFailure(detail, status: ExitStatus.conflict)
        case 422 where kind == "invalid-input":
            return WorkflowError.invalidInput(detail)
        case 401:
            let reason = detail.hasSuffix(".") ? String(detail.dropLast()) : detail
            return RemoteFailure(
                "the server at \(server) does not accept this token (\(reason)). Run `copydesk login \(server)` "
                    + "with a valid one, or set COPYDESK_TOKEN",
                status: ExitStatus.refused)
        case 429:
            return RemoteFailure(detail, status: ExitStatus.refused)
        case 503:
            return RemoteFailure("the server at \(server) cannot serve this now: \(detail)",
                                 status: ExitStatus.databaseUnavailable)
        default:
            break
        }
        if let reason = Refusal.Reason(rawValue: kind), [403, 409, 422].contains(status) {
            return RemoteFailure(detail, status: reason.exitStatus)
        }
        return switch status {
        case 403: RemoteFailure(detail, status: ExitStatus.refused)
        case 404: RemoteFailure(detail, status: ExitStatus.notFound)
        case 409, 412: RemoteFailure(detail, status: ExitStatus.conflict)
        case 400..<500: RemoteFailure(detail, status: ExitStatus.invalidInput)
        case 502, 504: RemoteFailure(
            "the server at \(server) cannot be reached (\(status)): \(detail)", status: ExitStatus.databaseUnavailable)
        default: RemoteFailure("the server at \(server) failed (\(status)): \(detail)", status: ExitStatus.failure)
        }
    }
}
