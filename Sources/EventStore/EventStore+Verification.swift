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
    /// Runs in the database, streaming through the events, so it needs no memory here whatever
    /// the size of the store. Streams are checked in the order they began (see
    /// `declareStreamOrderCursor`), each from its version 1, so the reads stay where the writes
    /// were; a stream whose version 1 is missing is found by the second query.
    public func firstBrokenEvent() async throws -> BrokenEvent? {
        try await pool.withConnection { connection in
            try await connection.perform { connection in
                let broken = try connection.query(Self.brokenChainSQL).first.map(BrokenEvent.init(row:))
                let headless = try connection.query(Self.headlessStreamSQL).first.map(BrokenEvent.init(row:))
                return [broken, headless].compactMap { $0 }.min { $0.position < $1.position }
            }
        }
    }

    /// The first event, by position, of a stream that begins with version 1, whose version, link
    /// or content breaks the chain.
    static let brokenChainSQL = """
        SELECT chain.global_position, chain.stream_id, chain.stream_version, chain.event_type,
               CASE WHEN chain.stream_version <> chain.expected_version
                        THEN 'version ' || chain.stream_version || ' where ' || chain.expected_version || ' was expected'
                    WHEN chain.previous_hash IS DISTINCT FROM chain.chained_previous
                        THEN 'its link to the previous event does not match that event''s hash'
                    ELSE 'its content does not match its hash (data, metadata or time were changed)'
               END AS problem
        FROM events AS first
        CROSS JOIN LATERAL (
            SELECT e.*, lag(e.hash) OVER w AS chained_previous, row_number() OVER w AS expected_version
            FROM events AS e WHERE e.stream_id = first.stream_id
            WINDOW w AS (ORDER BY e.stream_version)
        ) AS chain
        WHERE first.stream_version = 1
          AND (chain.stream_version <> chain.expected_version
               OR chain.previous_hash IS DISTINCT FROM chain.chained_previous
               OR chain.hash <> event_hash(chain.chained_previous, chain.stream_id, chain.stream_version,
                                           chain.event_id, chain.event_type, chain.schema_version, chain.data,
                                           chain.metadata, chain.recorded_at))
        ORDER BY chain.global_position
        LIMIT 1
        """

    /// The first event of a stream whose version 1 is gone.
    static let headlessStreamSQL = """
        SELECT e.global_position, e.stream_id, e.stream_version, e.event_type,
               'version ' || e.stream_version || ' where 1 was expected' AS problem
        FROM events AS e
        WHERE NOT EXISTS (SELECT FROM events AS f WHERE f.stream_id = e.stream_id AND f.stream_version = 1)
        ORDER BY e.global_position
        LIMIT 1
        """
}

extension BrokenEvent {
    init(row: Row) throws {
        self.init(
            position: try row.decode("global_position"), stream: try row.decode("stream_id"),
            version: try row.decode("stream_version"), type: try row.decode("event_type"),
            problem: try row.decode("problem"))
    }
}
