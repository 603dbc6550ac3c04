import Foundation

extension UserEvent {
    /// The event as a stored type name and a JSON payload, written as article events are (sorted
    /// keys, millisecond UTC times), so the hash chain sees stable bytes.
    public func encoded() throws -> (type: String, data: String) {
        let encoder = ArticleEvent.payloadEncoder
        let data: Data
        switch self {
        case .added(let e): data = try encoder.encode(e)
        case .roleChanged(let e): data = try encoder.encode(e)
        case .disabled(let e): data = try encoder.encode(e)
        case .enabled(let e): data = try encoder.encode(e)
        case .tokenIssued(let e): data = try encoder.encode(e)
        case .tokenRevoked(let e): data = try encoder.encode(e)
        }
        return (typeName, String(decoding: data, as: UTF8.self))
    }

    /// Rebuilds an event from its stored type name, schema version and JSON payload.
    public static func decode(type: String, schemaVersion: Int, data: String) throws(EventDecodingError) -> UserEvent {
        guard typeNames.contains(type) else { throw .unknownType(type) }
        guard schemaVersion == Self.schemaVersion else {
            throw .unsupportedSchemaVersion(type: type, version: schemaVersion, supported: Self.schemaVersion)
        }
        let bytes = Data(data.utf8)
        func payload<Payload: Decodable>(_: Payload.Type) throws(EventDecodingError) -> Payload {
            do {
                return try ArticleEvent.payloadDecoder.decode(Payload.self, from: bytes)
            } catch {
                throw .malformedPayload(type: type, detail: EventDecodingError.describe(error))
            }
        }
        switch type {
        case "UserAdded": return .added(try payload(UserAdded.self))
        case "UserRoleChanged": return .roleChanged(try payload(UserRoleChanged.self))
        case "UserDisabled": return .disabled(try payload(UserDisabled.self))
        case "UserEnabled": return .enabled(try payload(UserEnabled.self))
        case "TokenIssued": return .tokenIssued(try payload(TokenIssued.self))
        case "TokenRevoked": return .tokenRevoked(try payload(TokenRevoked.self))
        default: throw .unknownType(type)
        }
    }
}
