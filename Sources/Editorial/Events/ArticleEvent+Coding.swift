import Foundation

extension ArticleEvent {
    /// The event as a stored type name and a JSON payload (sorted keys, millisecond ISO 8601 UTC
    /// dates), written by `PayloadWriter` (see there why not `JSONEncoder`).
    public func encoded() -> (type: String, data: String) {
        let data: String
        switch self {
        case .drafted(let e): data = PayloadWriter.write(e)
        case .edited(let e): data = PayloadWriter.write(e)
        case .submitted(let e): data = PayloadWriter.write(e)
        case .changesRequested(let e): data = PayloadWriter.write(e)
        case .approved(let e): data = PayloadWriter.write(e)
        case .publicationScheduled(let e): data = PayloadWriter.write(e)
        case .publicationUnscheduled(let e): data = PayloadWriter.write(e)
        case .published(let e): data = PayloadWriter.write(e)
        case .unpublished(let e): data = PayloadWriter.write(e)
        case .archived(let e): data = PayloadWriter.write(e)
        case .restored(let e): data = PayloadWriter.write(e)
        case .commented(let e): data = PayloadWriter.write(e)
        }
        return (typeName, data)
    }

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
