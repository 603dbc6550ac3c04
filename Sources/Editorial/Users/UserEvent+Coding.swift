import Foundation

extension UserEvent {
    /// The event as a stored type name and a JSON payload, written as article events are (sorted
    /// keys, millisecond UTC times), so the hash chain sees stable bytes.
    public func encoded() throws -> (type: String, data: String) {
        let encoder = Self.payloadEncoder
        let data: Data
        switch self {
        case .added(let e): data = try encoder.encode(e)
        case .roleChanged(let e): data = try encoder.encode(e)
        case .disabled(let e): data = try encoder.encode(e)
        case .enabled(let e): data = try encoder.encode(e)
        case .tokenIssued(let e): data = try encoder.encode(e)
        case .tokenRevoked(let e): data = try encoder.encode(e)
        case .passwordSet(let e): data = try encoder.encode(e)
        }
        return (typeName, String(decoding: data, as: UTF8.self))
    }

    /// The encoder of user payloads, in the form article payloads have too (`PayloadWriter`):
    /// sorted keys, `/` unescaped, dates as `EventTimestamp` strings.
    static let payloadEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(EventTimestamp.string(from: date))
        }
        return encoder
    }()

    /// One decoder for the user events' payloads (article events are read by `PayloadReader`): its
    /// settings never change after this, and making one per event cost replay more than a tenth of its time.
    static let payloadDecoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = EventTimestamp.date(from: text) else {
                throw DecodingError.dataCorruptedError(
                    in: container,
                    debugDescription:
                        "expected an ISO 8601 UTC timestamp like 2026-11-25T04:02:08.123Z, found \"\(text)\""
                )
            }
            return date
        }
        return decoder
    }()

    /// Rebuilds an event from its stored type name, schema version and JSON payload.
    public static func decode(type: String, schemaVersion: Int, data: String) throws(EventDecodingError) -> UserEvent {
        guard typeNames.contains(type) else { throw .unknownType(type) }
        guard schemaVersion == Self.schemaVersion else {
            throw .unsupportedSchemaVersion(type: type, version: schemaVersion, supported: Self.schemaVersion)
        }
        let bytes = Data(data.utf8)
        func payload<Payload: Decodable>(_: Payload.Type) throws(EventDecodingError) -> Payload {
            do {
                return try Self.payloadDecoder.decode(Payload.self, from: bytes)
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
        case "PasswordSet": return .passwordSet(try payload(PasswordSet.self))
        default: throw .unknownType(type)
        }
    }
}
