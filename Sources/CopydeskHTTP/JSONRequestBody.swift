import Foundation
import Hummingbird

/// Reads a JSON request body strictly: bounded in size, valid UTF-8, well-formed, an object,
/// no fields the route does not know, every field of the right type. Each failure is a problem
/// that says exactly what was wrong; nothing has been written when it is thrown.
enum JSONRequestBody {
    /// Leaves the body collected in `request`, so that it can be read again (for an idempotency
    /// fingerprint) without the stream it came from.
    static func decode<T: Decodable & KnownFields>(_ type: T.Type, from request: inout Request, limit: Int) async throws
        -> T
    {
        let buffer = try await request.collectBody(upTo: limit)
        var bytes = Array(buffer.readableBytesView)
        if bytes.isEmpty { bytes = Array("{}".utf8) }
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
            throw Problem(.unprocessableContent, type: "invalid-field", title: "Invalid field", detail: Self.describe(error))
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            return "Field \"\(path(context))\" must be \(type == String.self ? "a string" : type == [String].self ? "an array of strings" : "\(type)")."
        case .keyNotFound(let key, _):
            return "Field \"\(key.stringValue)\" is required."
        case .dataCorrupted(let context):
            return "Field \"\(path(context))\" is not valid: \(context.debugDescription)"
        @unknown default:
            return "The request body does not fit this route."
        }
    }
}

/// A request body type that lists its fields, so unknown ones can be refused.
protocol KnownFields {
    static var knownFields: Set<String> { get }
}

extension KnownFields {
    static var fieldList: String {
        knownFields.isEmpty ? "no fields" : knownFields.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
    }
}
