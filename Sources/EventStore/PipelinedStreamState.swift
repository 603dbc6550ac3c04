import Postgres

/// A stream locked in a pipeline; reads its state from the pipeline's results.
public struct PipelinedStreamState: Sendable {
    let statement: Int

    /// The stream's version and the handled command, from the results of the pipeline it was added to.
    public func state(from results: [QueryResult]) throws -> StreamState {
        let version = try results[statement].first?.decode(0, as: Int64.self) ?? 0
        let handled = try results[statement + 1].first.map { row in
            HandledCommand(
                // NULL while the first attempt is still running; it is then the latest there is.
                lastVersion: try row.decodeIfPresent(0, as: Int64.self) ?? Int64.max,
                requestFingerprint: try row.decodeIfPresent(1, as: ByteA.self)?.bytes)
        }
        return StreamState(version: version, handledCommand: handled)
    }
}
