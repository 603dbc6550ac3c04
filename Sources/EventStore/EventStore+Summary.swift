import Foundation
import Postgres

/// Figures about the whole store, for status pages and metrics.
extension EventStore {
    /// How much the store holds.
    public struct Summary: Sendable, Hashable {
        /// Events appended, over every stream.
        public let events: Int
        /// Streams with at least one event.
        public let streams: Int
        /// When the last event was recorded; nil while the store is empty.
        public let latest: Date?
    }

    /// How much the store holds, read on the caller's connection.
    public static func summary(on connection: isolated Connection) throws -> Summary {
        let row = try connection.query(
            """
            SELECT coalesce(sum(version), 0)::bigint AS events, count(*) AS streams,
                   (SELECT recorded_at FROM events ORDER BY global_position DESC LIMIT 1) AS latest
            FROM streams
            """
        ).first!
        return Summary(
            events: try row.decode("events"), streams: try row.decode("streams"),
            latest: try row.decodeIfPresent("latest"))
    }

    /// How many events are written but not yet in the global log's readable part, because their
    /// transaction, or an older one, is still open (see `readAll`): how far the feed lags.
    public func eventsBehindFeed() async throws -> Int {
        try await pool.withConnection { connection in
            try await connection.query(
                "SELECT count(*) FROM events WHERE transaction_id >= pg_snapshot_xmin(pg_current_snapshot())"
            ).first!.decode(0, as: Int.self)
        }
    }
}
