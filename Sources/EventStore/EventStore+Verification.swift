import Postgres

/// An event whose stored record does not match its hash chain: the store was altered.
public struct BrokenEvent: Sendable, Hashable, CustomStringConvertible {
    public let position: Int64
    public let stream: String
    public let version: Int64
    public let type: String
    /// What does not match, in words.
    public let problem: String

    public var description: String {
        "event at position \(position) (\(stream) version \(version), \(type)): \(problem)"
    }
}

extension EventStore {
    /// Recomputes every stream's hash chain (DESIGN.md invariant 6) and returns the first event,
    /// in log position order, whose content, chain link or version does not match; nil when the
    /// whole store verifies.
    ///
    /// Runs in the database, streaming through the events in stream order, so it needs no memory
    /// here whatever the size of the store.
    public func firstBrokenEvent() async throws -> BrokenEvent? {
        try await pool.withConnection { connection in
            try await connection.query(
                """
                SELECT global_position, stream_id, stream_version, event_type,
                       CASE WHEN stream_version <> expected_version
                                THEN 'version ' || stream_version || ' where ' || expected_version || ' was expected'
                            WHEN previous_hash IS DISTINCT FROM chained_previous
                                THEN 'its link to the previous event does not match that event''s hash'
                            ELSE 'its content does not match its hash (data, metadata or time were changed)'
                       END AS problem
                FROM (
                    SELECT e.*, lag(e.hash) OVER w AS chained_previous, row_number() OVER w AS expected_version
                    FROM events e
                    WINDOW w AS (PARTITION BY e.stream_id ORDER BY e.stream_version)
                ) AS chain
                WHERE stream_version <> expected_version
                   OR previous_hash IS DISTINCT FROM chained_previous
                   OR hash <> event_hash(chained_previous, stream_id, stream_version, event_id, event_type,
                                         schema_version, data, metadata, recorded_at)
                ORDER BY global_position
                LIMIT 1
                """
            ).first.map { row in
                BrokenEvent(
                    position: try row.decode("global_position"), stream: try row.decode("stream_id"),
                    version: try row.decode("stream_version"), type: try row.decode("event_type"),
                    problem: try row.decode("problem"))
            }
        }
    }
}
