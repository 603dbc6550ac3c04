import Foundation

extension ArticleEvent {
    /// The event as a stored type name and a JSON payload (sorted keys, millisecond ISO 8601 UTC dates).
    ///
    /// Sorted keys make the payload byte-stable, which the store's hash chain relies on.
    public func encoded() throws -> (type: String, data: String) {
        let encoder = Self.payloadEncoder
        let data: Data
        switch self {
        case .drafted(let e): data = try encoder.encode(e)
        case .edited(let e): data = try encoder.encode(e)
        case .submitted(let e): data = try encoder.encode(e)
        case .changesRequested(let e): data = try encoder.encode(e)
        case .approved(let e): data = try encoder.encode(e)
        case .publicationScheduled(let e): data = try encoder.encode(e)
        case .publicationUnscheduled(let e): data = try encoder.encode(e)
        case .published(let e): data = try encoder.encode(e)
        case .unpublished(let e): data = try encoder.encode(e)
        case .archived(let e): data = try encoder.encode(e)
        case .restored(let e): data = try encoder.encode(e)
        case .commented(let e): data = try encoder.encode(e)
        }
        // JSONEncoder only ever produces UTF-8.
        return (typeName, String(decoding: data, as: UTF8.self))
    }

    /// One encoder for every payload (user events use it too), like the decoder below.
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

    /// Rebuilds an event from its stored type name, schema version and JSON payload, read by
    /// `PayloadReader` (see there why not `JSONDecoder`).
    public static func decode(type: String, schemaVersion: Int, data: String) throws(EventDecodingError) -> ArticleEvent
    {
        guard typeNames.contains(type) else {
            throw .unknownType(type)
        }
        guard schemaVersion == Self.schemaVersion else {
            throw .unsupportedSchemaVersion(type: type, version: schemaVersion, supported: Self.schemaVersion)
        }
        func payload<Payload: PayloadReadable>(_: Payload.Type) throws(EventDecodingError) -> Payload {
            do {
                return try PayloadReader.read(data) { try Payload(reading: &$0) }
            } catch let failure as PayloadReader.Failure {
                throw .malformedPayload(type: type, detail: failure.detail)
            } catch {
                throw .malformedPayload(type: type, detail: "\(error)")
            }
        }
        switch type {
        case "ArticleDrafted": return .drafted(try payload(ArticleDrafted.self))
        case "ArticleEdited": return .edited(try payload(ArticleEdited.self))
        case "ArticleSubmitted": return .submitted(try payload(ArticleSubmitted.self))
        case "ChangesRequested": return .changesRequested(try payload(ChangesRequested.self))
        case "ArticleApproved": return .approved(try payload(ArticleApproved.self))
        case "PublicationScheduled": return .publicationScheduled(try payload(PublicationScheduled.self))
        case "PublicationUnscheduled": return .publicationUnscheduled(try payload(PublicationUnscheduled.self))
        case "ArticlePublished": return .published(try payload(ArticlePublished.self))
        case "ArticleUnpublished": return .unpublished(try payload(ArticleUnpublished.self))
        case "ArticleArchived": return .archived(try payload(ArticleArchived.self))
        case "ArticleRestored": return .restored(try payload(ArticleRestored.self))
        case "CommentAdded": return .commented(try payload(CommentAdded.self))
        // A switch over strings needs a default; the guard above already turned unknown names away.
        default: throw .unknownType(type)
        }
    }
}
