/// Why a stored event could not be turned back into an `ArticleEvent`.
public enum EventDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The type name is not one this version of Copydesk knows.
    case unknownType(String)
    /// The payload was written with a schema version this code cannot read.
    case unsupportedSchemaVersion(type: String, version: Int, supported: Int)
    /// The payload is not valid JSON for its type.
    case malformedPayload(type: String, detail: String)

    /// One line saying which event could not be read and why.
    public var description: String {
        switch self {
        case .unknownType(let type):
            "unknown event type \"\(type)\"; known types: \((ArticleEvent.typeNames + UserEvent.typeNames).joined(separator: ", "))"
        case .unsupportedSchemaVersion(let type, let version, let supported):
            "cannot read \(type) schema version \(version); this build reads version \(supported)"
        case .malformedPayload(let type, let detail):
            "malformed \(type) payload: \(detail)"
        }
    }

    /// A short account of a JSON decoding failure that names the offending field but never echoes the payload.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else {
            return "\(error)"
        }
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
            return keys.isEmpty ? "the payload" : keys.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing \(path(context) == "the payload" ? key.stringValue : path(context) + "." + key.stringValue)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
