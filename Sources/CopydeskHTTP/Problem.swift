import Copydesk
import Foundation
import Hummingbird

/// An error response in RFC 9457 form (`application/problem+json`): a stable `type`, a short
/// `title`, a `detail` a person can act on, and, where it matters, the article's current state.
///
/// Every error the API returns is one of these; nothing else (no stack trace, no SQL) reaches a
/// client.
public struct Problem: Error, HTTPResponseError, Sendable {
    public let status: HTTPResponse.Status
    public let type: String
    public let title: String
    public let detail: String
    /// Extra members: `state`, `allowed`, `currentVersion`...
    public var extensions: [String: ProblemValue] = [:]
    /// Extra response headers (`WWW-Authenticate`, `ETag`).
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, type: String, title: String, detail: String) {
        self.status = status
        self.type = type
        self.title = title
        self.detail = detail
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var object: [String: ProblemValue] = extensions
        object["type"] = .string("https://copydesk.dev/problems/\(type)")
        object["title"] = .string(title)
        object["status"] = .int(Int(status.code))
        object["detail"] = .string(detail)
        var fields = headers
        fields[.contentType] = "application/problem+json"
        let body = try JSONFormat.encoder().encode(object)
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    static let unauthorized: Problem = {
        var problem = Problem(
            .unauthorized, type: "unauthorized", title: "Authentication required",
            detail: "Send `Authorization: Bearer TOKEN` with your API token; an administrator issues tokens.")
        problem.headers[.wwwAuthenticate] = "Bearer realm=\"copydesk\""
        return problem
    }()
}

/// A JSON value in a problem's extension members.
public enum ProblemValue: Encodable, Sendable {
    case string(String)
    case int(Int)
    case strings([String])

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .strings(let value): try container.encode(value)
        }
    }
}
