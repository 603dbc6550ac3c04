import Foundation
import Postgres

/// An event as a bulk reader (replay) needs it: its place, type, data and metadata, without the
/// columns only the feed shows. The metadata's fields come out of the JSON in SQL, by position.
public struct ReplayEvent: Sendable {
    /// Its position in the global log.
    public let position: Int64
    /// The stream it belongs to.
    public let stream: String
    /// The event type, such as `ArticleDrafted`.
    public let type: String
    /// The version of the event type's schema it was written with.
    public let schemaVersion: Int
    /// The event's data, as JSON text.
    public let data: String
    /// Who, where from and in which command.
    public let metadata: EventMetadata

    static let columns = """
        global_position, stream_id, event_type, schema_version, data::text,
        metadata ->> 'actor', metadata ->> 'commandId', metadata ->> 'correlationId', metadata ->> 'causationId',
        metadata ->> 'origin', metadata ->> 'actorKind'
        """

    /// Reads a row selected with `columns`; an event whose metadata lacks a field, or holds one
    /// that is not valid, is `UnreadableEvent`, naming its position and stream.
    init(row: Row) throws {
        position = try row.decode(0)
        stream = try row.decode(1)
        type = try row.decode(2)
        schemaVersion = try row.decode(3)
        data = try row.decode(4)
        let (position, stream) = (position, stream)
        func field(_ index: Int, _ name: String) throws -> String {
            guard let value = try row.decodeIfPresent(index, as: String.self) else {
                throw UnreadableEvent(position: position, stream: stream, problem: "its metadata has no \(name)")
            }
            return value
        }
        let originText = try field(9, "origin")
        guard let origin = Origin(rawValue: originText) else {
            throw UnreadableEvent(
                position: position, stream: stream, problem: "its metadata has an unknown origin \"\(originText)\"")
        }
        // The server's form, parsed without `sscanf` (see `UUID(postgresText:)`), any other as Foundation does.
        guard let commandId = UUID(postgresText: try field(6, "commandId")) else {
            throw UnreadableEvent(position: position, stream: stream, problem: "its metadata's commandId is not a UUID")
        }
        let actor = try field(5, "actor")
        var actorKind = EventMetadata.legacyKind(actor: actor, origin: origin)
        if let kindText = try row.decodeIfPresent(10, as: String.self) {
            guard let kind = ActorKind(rawValue: kindText) else {
                throw UnreadableEvent(
                    position: position, stream: stream, problem: "its metadata has an unknown actorKind \"\(kindText)\"")
            }
            actorKind = kind
        }
        metadata = EventMetadata(
            actor: actor, commandId: commandId, correlationId: try field(7, "correlationId"),
            causationId: try field(8, "causationId"), origin: origin, actorKind: actorKind)
    }
}
