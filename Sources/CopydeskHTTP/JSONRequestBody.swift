import Foundation
import Hummingbird

/// Reads a JSON request body strictly: sent as `application/json`, bounded in size, valid UTF-8,
/// well-formed, an object, no fields the route does not know, every field of the right type.
/// Each failure is a problem that says exactly what was wrong; nothing has been written when it
/// is thrown.
enum JSONRequestBody {
    /// Leaves the body collected in `request`, so that it can be read again (for an idempotency
    /// fingerprint) without the stream it came from.
    static func decode<T: Decodable & KnownFields>(_ type: T.Type, from request: inout Request, limit: Int) async throws
        -> T
    {
        let declared = request.headers[.contentType]
        if let declared, !isJSON(declared) {
            throw unsupportedMediaType(
                request.method,
                "The request body is sent as \"\(declared.prefix(100))\"; this route takes application/json.")
        }
        let buffer = try await request.collectBody(upTo: limit)
        var bytes = Array(buffer.readableBytesView)
        if bytes.isEmpty {
            bytes = Array("{}".utf8)
        } else if declared == nil {
            // A body without a type is not guessed at: it may be a form or text meant for another server.
            throw unsupportedMediaType(
                request.method, "The request has a body but no Content-Type; send it as application/json.")
        }
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw Problem(.badRequest, type: "invalid-utf8", title: "Invalid UTF-8", detail: "The request body is not valid UTF-8 text.")
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        } catch {
            throw Problem(.badRequest, type: "malformed-json", title: "Malformed JSON", detail: "The request body is not well-formed JSON.")
        }
        guard let fields = object as? [String: Any] else {
            throw Problem(
                .unprocessableContent, type: "invalid-body", title: "Invalid body",
                detail: "The request body must be a JSON object with the fields \(T.fieldList).")
        }
        let unknown = Set(fields.keys).subtracting(T.knownFields).sorted()
        guard unknown.isEmpty else {
            throw Problem(
                .unprocessableContent, type: "unknown-fields", title: "Unknown fields",
                detail: "Unknown field(s) \(unknown.map { "\"\($0)\"" }.joined(separator: ", ")); this route takes \(T.fieldList).")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw Problem(
                .unprocessableContent, type: "invalid-field", title: "Invalid field",
                detail: Self.describe(error, in: T.self))
        }
    }

    /// True for `application/json`, with or without parameters (`; charset=utf-8`), in any case.
    static func isJSON(_ contentType: String) -> Bool {
        let mediaType = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return mediaType.trimmingCharacters(in: .whitespaces).lowercased() == "application/json"
    }

    /// A 415 naming the type to send in `Accept-Patch` or `Accept-Post` (RFC 9110, 15.5.16).
    private static func unsupportedMediaType(_ method: HTTPRequest.Method, _ detail: String) -> Problem {
        var problem = Problem(
            .unsupportedMediaType, type: "unsupported-media-type", title: "Unsupported media type", detail: detail)
        problem.headers[method == .patch ? .acceptPatch : .acceptPost] = "application/json"
        return problem
    }

    /// What was wrong, in JSON's terms: the field and the JSON type it takes (the decoder's own
    /// words name Swift types, such as `Array<Any>`, which mean nothing to an API client).
    static func describe<T: KnownFields>(_ error: DecodingError, in body: T.Type) -> String {
        let context: DecodingError.Context
        switch error {
        case .keyNotFound(let key, _):
            return "Field \"\(key.stringValue)\" is required."
        case .typeMismatch(_, let found), .valueNotFound(_, let found), .dataCorrupted(let found):
            context = found
        @unknown default:
            return "The request body does not fit this route, which takes \(T.fieldList)."
        }
        guard let field = context.codingPath.first?.stringValue, let type = T.fields[field] else {
            return "The request body does not fit this route, which takes \(T.fieldList)."
        }
        return "Field \"\(field)\" must be \(type)."
    }
}

/// The JSON type a request field takes, named as API clients know it.
enum JSONType: CustomStringConvertible {
    case string
    case arrayOfStrings
    case boolean
    case integer

    /// "a string", "an array of strings", "true or false", "an integer".
    var description: String {
        switch self {
        case .string: "a string"
        case .arrayOfStrings: "an array of strings"
        case .boolean: "true or false"
        case .integer: "an integer"
        }
    }
}

/// A request body type that lists its fields and their JSON types, so unknown fields can be
/// refused and a wrong type named in JSON's terms.
protocol KnownFields {
    static var fields: [String: JSONType] { get }
}

extension KnownFields {
    static var knownFields: Set<String> { Set(fields.keys) }

    /// `"body" (a string), "tags" (an array of strings)`, or "no fields".
    static var fieldList: String {
        fields.isEmpty
            ? "no fields" : fields.keys.sorted().map { "\"\($0)\" (\(fields[$0]!))" }.joined(separator: ", ")
    }
}
