import Foundation
import Postgres

/// The store's part of a caller's transaction sent as pipelines: the command service locks a
/// stream and reads its state in one round trip, then appends, writes its projections and
/// commits in a second. The store adds its statements and reads their results back; the caller
/// never names the store's tables.
extension EventStore {
    /// Adds to a pipeline, inside the caller's open transaction: lock `stream` for the rest of
    /// the transaction, then read its version and whether `commandId` was handled before.
    ///
    /// Concurrent writers of one stream take turns at the lock instead of deciding on the same
    /// state; each statement added after this one reads in a snapshot taken after the lock was
    /// granted. Read the state with `PipelinedStreamState.state(from:)`.
    public func lockStream(_ stream: String, checking commandId: UUID, in pipeline: inout Pipeline)
        -> PipelinedStreamState
    {
        let lock = pipeline.count
        pipeline.append("SELECT version FROM streams WHERE stream_id = $1 FOR UPDATE", [stream])
        pipeline.append(
            "SELECT last_version, request_hash FROM commands WHERE command_id = $1", [commandId])
        return PipelinedStreamState(statement: lock)
    }

    /// Adds the append to a pipeline, to run with other statements in the caller's transaction;
    /// with a `fingerprint`, it is recorded as the request the command came from (see
    /// `requestFingerprint(of:on:)`).
    ///
    /// Run the pipeline through the returned handle's `result(_:)`, which reads the append's
    /// outcome and reports a stale expected version as `EventStoreError.versionConflict`.
    public func append(_ request: AppendRequest, fingerprint: [UInt8]? = nil, to pipeline: inout Pipeline) throws
        -> PipelinedAppend
    {
        try Self.validate(request)
        let statement = pipeline.count
        pipeline.append(
            "SELECT * FROM append_events($1, $2, $3, $4::jsonb)",
            [request.stream, request.expectedVersion.sqlValue, request.metadata.commandId,
             try Self.eventsDocument(request)])
        if let fingerprint {
            // Not over the fingerprint of a concurrent first attempt, whose append made this one a duplicate.
            pipeline.append(
                "UPDATE commands SET request_hash = $2 WHERE command_id = $1 AND request_hash IS NULL",
                [request.metadata.commandId, ByteA(fingerprint)])
        }
        return PipelinedAppend(request: request, statement: statement)
    }

    /// Ends a pipeline with COMMIT and the wake-up for subscribers, which must follow the commit.
    public static func commit(_ pipeline: inout Pipeline) {
        pipeline.append("COMMIT")
        pipeline.append(wakeUpSubscribers)
    }

    /// Wakes the subscribers after appends committed without `commit(_:)` (a batch, say).
    public func wakeSubscribers() async throws {
        try await pool.withConnection { connection in _ = try await connection.query(Self.wakeUpSubscribers) }
    }

    /// The fingerprint recorded for the request `commandId` came from, if it had one.
    public func requestFingerprint(of commandId: UUID, on connection: isolated Connection) throws -> [UInt8]? {
        try connection.query("SELECT request_hash FROM commands WHERE command_id = $1", [commandId])
            .first?.decodeIfPresent(0, as: ByteA.self)?.bytes
    }

    // MARK: - SQL for statements the caller pipelines after an append

    /// An SQL expression for the global position of the event whose id is `eventId` (a column or
    /// parameter): NULL, or no row when used as a lateral subquery, unless it was appended.
    ///
    /// Projections written in the append's pipeline take their events' positions with it, so
    /// none is written for an append that turned out to be a duplicate. `OFFSET 0` keeps it from
    /// being flattened into a join, so it stays one probe of the event id index: with stale
    /// statistics the planner would hash the whole events table.
    public static func appendedPosition(ofEvent eventId: String) -> String {
        "(SELECT global_position FROM events WHERE event_id = \(eventId) OFFSET 0)"
    }

    /// An SQL condition: true when the event whose id is `eventId` was appended (see `appendedPosition`).
    public static func wasAppended(event eventId: String) -> String {
        "EXISTS (SELECT FROM events WHERE event_id = \(eventId))"
    }
}
