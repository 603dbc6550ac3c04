import Foundation
import Postgres

/// The append-only event log in PostgreSQL (tables and `append_events` from `sql/001_event_store.sql`).
///
/// Every method exists in two forms: on the pool (its own transaction) and on an `isolated`
/// connection, so that a caller can append and update projections in one transaction.
public struct EventStore: Sendable {
    public let pool: ConnectionPool

    public init(pool: ConnectionPool) {
        self.pool = pool
    }

    // MARK: - Appending

    /// Appends events to one stream if it is at the expected version.
    ///
    /// Throws `EventStoreError.versionConflict` (writing nothing) when another writer got there
    /// first. A command id seen before returns the first result and writes nothing.
    public func append(_ request: AppendRequest) async throws -> AppendResult {
        try await pool.withConnection { connection in
            try await connection.perform { connection in
                let result = try self.append(request, on: connection)
                try connection.query(Self.wakeUpSubscribers)
                return result
            }
        }
    }

    /// Appends on a connection the caller holds, inside the caller's transaction if one is open.
    ///
    /// On a version conflict the caller's transaction is aborted and must be rolled back. Once it
    /// has committed, the caller runs `wakeSubscribers()`.
    public func append(_ request: AppendRequest, on connection: isolated Connection) throws -> AppendResult {
        var pipeline = Pipeline()
        let append = try append(request, to: &pipeline)
        return try append.result { try connection.run(pipeline) }
    }

    /// The outcome of an append added with `append(_:fingerprint:to:)`, from its statement's result.
    static func appendResult(from result: QueryResult, for request: AppendRequest) throws -> AppendResult {
        guard let row = result.first else {
            throw PostgresError(kind: .invalidValue, message: "append_events returned no row")
        }
        return try appendResult(row, stream: request.stream)
    }

    /// Appends to many streams in one statement (one round trip) and one transaction: all or nothing.
    ///
    /// Meant for imports. Results come back in request order.
    public func append(batch requests: [AppendRequest]) async throws -> [AppendResult] {
        try await pool.withConnection { connection in
            try await connection.perform { connection in
                let results = try self.append(batch: requests, on: connection)
                try connection.query(Self.wakeUpSubscribers)
                return results
            }
        }
    }

    /// Appends a batch on a connection the caller holds, inside the caller's transaction if one is
    /// open; once it has committed, the caller runs `wakeSubscribers()`.
    public func append(batch requests: [AppendRequest], on connection: isolated Connection) throws -> [AppendResult] {
        guard !requests.isEmpty else { return [] }
        for request in requests { try Self.validate(request) }
        let result: QueryResult
        do {
            result = try connection.query(Self.batchAppendSQL, [try Self.batchAppendDocument(requests)])
        } catch let error as PostgresError where error.code == Self.conflictCode {
            let stream = requests.first { error.message.contains("stream \($0.stream):") } ?? requests[0]
            throw Self.translate(error, for: stream)
        }
        return try result.rows.map { row in try Self.appendResult(row, stream: row.decode("stream")) }
    }

    /// The statement a batch append runs, with `batchAppendDocument` as its parameter; each row it
    /// returns has the stream and its append's outcome (positions among them), in request order.
    package static let batchAppendSQL = """
        SELECT b.item ->> 'stream' AS stream, r.*
        FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS b(item, n),
             LATERAL append_events(b.item ->> 'stream', (b.item ->> 'expected')::bigint,
                                   (b.item ->> 'commandId')::uuid, b.item -> 'events') AS r
        ORDER BY b.n
        """

    /// The one document a batch append sends: every request, validated by the caller.
    package static func batchAppendDocument(_ requests: [AppendRequest]) throws -> String {
        var document = "["
        for (index, request) in requests.enumerated() {
            if index > 0 { document += "," }
            document += "{\"stream\":\(JSONText.quoted(request.stream)),"
                + "\"expected\":\(request.expectedVersion.sqlValue),"
                + "\"commandId\":\"\(request.metadata.commandId.postgresText)\","
                + "\"events\":\(try Self.eventsDocument(request))}"
        }
        document += "]"
        return document
    }

    // MARK: - Reading

    /// The events of one stream from `version` on, in version order.
    public func readStream(_ stream: String, from version: Int64 = 1) async throws -> [RecordedEvent] {
        try await pool.withConnection { connection in try await self.readStream(stream, from: version, on: connection) }
    }

    /// The events of one stream from `version` on, read on the caller's connection.
    public func readStream(_ stream: String, from version: Int64 = 1, on connection: isolated Connection) throws
        -> [RecordedEvent]
    {
        try connection.query(
            "SELECT \(Self.columns) FROM events WHERE stream_id = $1 AND stream_version >= $2 ORDER BY stream_version",
            [stream, version]
        ).rows.map(RecordedEvent.init(row:))
    }

    /// The current version of a stream (0 when it has no events).
    public func streamVersion(_ stream: String, on connection: isolated Connection) throws -> Int64 {
        try connection.query("SELECT version FROM streams WHERE stream_id = $1", [stream]).first?.decode(0) ?? 0
    }

    /// Up to `limit` events of the global log after `cursor`, in log order.
    ///
    /// Gap-safe (DESIGN.md invariant 4): only events of transactions older than every transaction
    /// still running are returned, ordered by (transaction id, position). An event that commits
    /// later therefore always sorts after the returned ones, so a reader continuing from the last
    /// cursor never skips it, however transactions interleave.
    ///
    /// An event it cannot read stops it with `UnreadableEvent`; `readLog` reads past such events.
    public func readAll(after cursor: GlobalCursor = .start, limit: Int = 1000) async throws -> [RecordedEvent] {
        try await rows(after: cursor, limit: limit).map(RecordedEvent.init(row:))
    }

    /// Up to `limit` entries of the global log after `cursor`, like `readAll`, with the events it
    /// cannot read set apart rather than failing the page.
    public func readLog(after cursor: GlobalCursor = .start, limit: Int = 1000) async throws -> LogPage {
        var events: [RecordedEvent] = []
        var unreadable: [UnreadableEvent] = []
        var end: GlobalCursor?
        for row in try await rows(after: cursor, limit: limit) {
            do {
                let event = try RecordedEvent(row: row)
                events.append(event)
                end = event.cursor
            } catch let error as UnreadableEvent {
                unreadable.append(error)
                end = error.cursor
            }
        }
        return LogPage(events: events, unreadable: unreadable, end: end)
    }

    private func rows(after cursor: GlobalCursor, limit: Int) async throws -> [Row] {
        try await pool.withConnection { connection in
            try await connection.query(
                """
                SELECT \(Self.columns) FROM events AS e
                WHERE (e.transaction_id, e.global_position) > ($1::text::xid8, $2::bigint)
                  AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
                ORDER BY e.transaction_id, e.global_position
                LIMIT $3
                """,
                [cursor.transactionId, cursor.position, limit]
            ).rows
        }
    }

    // MARK: - Rows and errors

    static let conflictCode = SQLState(rawValue: "CD409")

    /// The columns `RecordedEvent(row:)` reads. `transaction_id` is sent as text, so an ORDER BY must
    /// name the table's column (`e.transaction_id`): the bare name would sort by this text alias.
    public static let columns = """
        global_position, stream_id, stream_version, event_id, event_type, schema_version,
        data::text AS data, metadata::text AS metadata, recorded_at, transaction_id::text AS transaction_id
        """

}

extension RecordedEvent {
    /// Reads an event from a row selected with `EventStore.columns`; an event whose metadata
    /// lacks a field or holds an invalid one is `UnreadableEvent`, naming its position and stream.
    public init(row: Row) throws {
        let position: Int64 = try row.decode("global_position")
        let stream: String = try row.decode("stream_id")
        let transactionId: UInt64 = try row.decode("transaction_id")
        let metadataJSON: String = try row.decode("metadata")
        let metadata: EventMetadata
        do {
            metadata = try JSONDecoder().decode(EventMetadata.self, from: Data(metadataJSON.utf8))
        } catch {
            throw UnreadableEvent(
                position: position, stream: stream, problem: "its metadata " + Self.describe(error),
                cursor: GlobalCursor(transactionId: transactionId, position: position))
        }
        self.init(
            globalPosition: position,
            streamId: stream,
            streamVersion: try row.decode("stream_version"),
            id: try row.decode("event_id"),
            type: try row.decode("event_type"),
            schemaVersion: try row.decode("schema_version"),
            data: try row.decode("data"),
            metadata: metadata,
            recordedAt: try row.decode("recorded_at"),
            transactionId: transactionId)
    }

    /// What is wrong with metadata that did not decode, naming the field, never echoing values.
    private static func describe(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, _)?:
            "has no \(key.stringValue)"
        case .valueNotFound(_, let context)?, .typeMismatch(_, let context)?, .dataCorrupted(let context)?:
            context.codingPath.last.map { "has an invalid \($0.stringValue)" } ?? "is not a JSON object"
        default:
            "cannot be decoded"
        }
    }
}

extension EventStore {
    static func appendResult(_ row: Row, stream: String) throws -> AppendResult {
        AppendResult(
            stream: stream,
            firstVersion: try row.decode("first_version"),
            lastVersion: try row.decode("last_version"),
            firstPosition: try row.decode("first_position"),
            lastPosition: try row.decode("last_position"),
            positions: try row.decodeIfPresent("positions") ?? [],
            wasDuplicate: try row.decode("outcome", as: String.self) == "duplicate")
    }

    static func validate(_ request: AppendRequest) throws {
        guard !request.stream.isEmpty else { throw EventStoreError.invalidAppend("the stream id is empty") }
        guard !request.events.isEmpty else { throw EventStoreError.invalidAppend("there are no events to append") }
        for event in request.events {
            // The data is embedded verbatim in the document sent to PostgreSQL, so it must be exactly one JSON value.
            guard JSONText.isValue(event.data) else {
                throw EventStoreError.invalidAppend("the data of event \(event.type) is not a JSON document")
            }
        }
        if case .exactly(let version) = request.expectedVersion, version < 0 {
            throw EventStoreError.invalidAppend("expected version \(version) is negative")
        }
    }

    /// The request's events as the JSON array `append_events` takes; event data is embedded as is.
    static func eventsDocument(_ request: AppendRequest) throws -> String {
        let metadata = request.metadata.json
        var document = "["
        for (index, event) in request.events.enumerated() {
            if index > 0 { document += "," }
            document += "{\"id\":\"\(event.id.postgresText)\",\"type\":\(JSONText.quoted(event.type)),"
                + "\"schemaVersion\":\(event.schemaVersion),\"data\":\(event.data),\"metadata\":\(metadata)}"
        }
        return document + "]"
    }

    /// The error an append failed with, as `EventStoreError.versionConflict` when it was one.
    static func translate(_ error: PostgresError, for request: AppendRequest) -> any Error {
        guard error.code == conflictCode else { return error }
        return EventStoreError.versionConflict(
            stream: request.stream, expected: request.expectedVersion, actual: Int64(error.detail ?? "") ?? 0)
    }
}
