import Foundation
import Postgres

/// An event as a bulk reader (replay) needs it: its place, type, data and metadata, without the
/// columns only the feed shows. The metadata's fields come out of the JSON in SQL, by position.
public struct ReplayEvent: Sendable {
    public let position: Int64
    public let stream: String
    public let type: String
    public let schemaVersion: Int
    public let data: String
    public let metadata: EventMetadata

    static let columns = """
        global_position, stream_id, event_type, schema_version, data::text,
        metadata ->> 'actor', metadata ->> 'commandId', metadata ->> 'correlationId', metadata ->> 'causationId',
        metadata ->> 'origin'
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
        guard let commandId = UUID(uuidString: try field(6, "commandId")) else {
            throw UnreadableEvent(position: position, stream: stream, problem: "its metadata's commandId is not a UUID")
        }
        metadata = EventMetadata(
            actor: try field(5, "actor"), commandId: commandId, correlationId: try field(7, "correlationId"),
            causationId: try field(8, "causationId"), origin: origin)
    }
}

/// Reading the whole log in stream order, in the caller's transaction, for rebuilding projections.
extension EventStore {
    /// Declares a cursor over every event in stream order (stream, then version) in the caller's
    /// transaction (REPEATABLE READ, to read one snapshot); returns how many events it covers.
    public static func declareStreamOrderCursor(_ name: String, on connection: isolated Connection) throws -> Int {
        try connection.executeScript(
            """
            DECLARE \(try connection.quoteIdentifier(name)) NO SCROLL CURSOR FOR
                SELECT \(ReplayEvent.columns) FROM events ORDER BY stream_id, stream_version
            """)
        return try connection.query("SELECT count(*) FROM events").first!.decode(0, as: Int.self)
    }

    /// The next `count` events of a cursor from `declareStreamOrderCursor`; fewer at its end.
    public static func fetch(_ count: Int, from cursor: String, on connection: isolated Connection) throws
        -> [ReplayEvent]
    {
        try connection.query("FETCH \(count) FROM \(try connection.quoteIdentifier(cursor))").rows
            .map(ReplayEvent.init(row:))
    }

    /// Every event of one stream, in version order, read as bulk readers read them.
    public static func replayEvents(of stream: String, on connection: isolated Connection) throws -> [ReplayEvent] {
        try connection.query(
            "SELECT \(ReplayEvent.columns) FROM events WHERE stream_id = $1 ORDER BY stream_version", [stream]
        ).rows.map(ReplayEvent.init(row:))
    }

    /// The streams that gained events in transactions not visible in `snapshot` (a
    /// `pg_current_snapshot()` taken earlier), as seen by the caller's transaction.
    public static func streamsAppended(after snapshot: String, on connection: isolated Connection) throws
        -> [String]
    {
        try connection.query(
            """
            SELECT DISTINCT stream_id FROM events
            WHERE transaction_id >= pg_snapshot_xmin($1::pg_snapshot)
              AND NOT pg_visible_in_snapshot(transaction_id, $1::pg_snapshot)
            """,
            [snapshot]
        ).rows.map { try $0.decode(0, as: String.self) }
    }

    /// Holds off every append (and every command, which locks its stream first) until the
    /// caller's transaction ends; reads go on.
    public static func pauseAppends(on connection: isolated Connection) throws {
        try connection.executeScript("LOCK TABLE streams IN EXCLUSIVE MODE")
    }
}
