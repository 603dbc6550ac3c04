import Foundation
import Postgres

/// Reading the whole log in stream order, in the caller's transaction, for rebuilding projections.
extension EventStore {
    /// Declares a cursor, in the caller's transaction (REPEATABLE READ, to read one snapshot), over
    /// the events of one share of the streams in stream order (stream, then version): share
    /// `share` (from 0) of `shares`, a stream's share fixed by a hash of its id. The shares split
    /// the log without overlap, whole streams each, so they can be folded side by side.
    public static func declareStreamOrderCursor(
        _ name: String, share: Int, of shares: Int, on connection: isolated Connection
    ) throws {
        precondition(shares > 0 && (0..<shares).contains(share), "share \(share) of \(shares)")
        // The primary key's index delivers the order, so each share reads from its start without
        // sorting; the hash filter costs each share a look at every event, far less than folding them.
        try connection.query(
            """
            DECLARE \(try connection.quoteIdentifier(name)) NO SCROLL CURSOR FOR
                SELECT \(ReplayEvent.columns) FROM events
                WHERE $1 = 1 OR (hashtext(stream_id) & 2147483647) % $1 = $2
                ORDER BY stream_id, stream_version
            """,
            [shares, share])
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
