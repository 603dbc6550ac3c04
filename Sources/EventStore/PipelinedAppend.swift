import Postgres

/// An append added to a pipeline; runs the pipeline and reads the append's outcome.
public struct PipelinedAppend: Sendable {
    /// The append that was added.
    public let request: AppendRequest
    let statement: Int

    /// Runs the pipeline with `run` and returns the append's outcome. A stale expected version is
    /// thrown as `EventStoreError.versionConflict` (the caller's transaction is then aborted).
    public func result(_ run: () throws -> [QueryResult]) throws -> AppendResult {
        let results: [QueryResult]
        do {
            results = try run()
        } catch let error as PostgresError {
            throw EventStore.translate(error, for: request)
        }
        return try EventStore.appendResult(from: results[statement], for: request)
    }
}
