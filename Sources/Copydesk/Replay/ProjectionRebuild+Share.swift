import EventStore
import Postgres

extension ProjectionRebuild {
    /// What one worker folded.
    struct Folded: Sendable {
        var events = 0
        var articles = 0
    }

    /// Folds share `share` of `shares` of the streams, read in the snapshot `exported` (from
    /// `pg_export_snapshot`), into the shadow tables, and commits what it wrote.
    ///
    /// Streams never span shares, so each is folded whole by one worker, exactly as one worker
    /// alone would fold it. Two connections: the reader folds the next page while the writer
    /// copies the last one, so the database computes the search vectors as the rows arrive.
    /// Memory holds a page or two and one article, per worker.
    func fold(share: Int, of shares: Int, snapshot exported: String, tally: RebuildTally) async throws -> Folded {
        let reader = try await Connection.connect(to: conninfo)
        defer { Task { await reader.close() } }
        let writer = try await Connection.connect(to: conninfo)
        defer { Task { await writer.close() } }
        try await reader.perform { reader in
            try reader.executeScript("BEGIN ISOLATION LEVEL REPEATABLE READ")
            try Self.importSnapshot(exported, on: reader)
            try EventStore.declareStreamOrderCursor(Self.cursor, share: share, of: shares, on: reader)
        }
        try await writer.perform { writer in try writer.executeScript("BEGIN") }

        let pageSize = self.pageSize
        var projector = StreamProjector()
        var events = 0
        var writing: Task<Void, any Error>?
        do {
            while true {
                // A failed worker cancels the others, which then stop at their next page.
                try Task.checkCancellation()
                let folded = projector
                let read = try await reader.perform { reader in
                    var projector = folded
                    let page = try EventStore.fetch(pageSize, from: Self.cursor, on: reader)
                    for event in page { try projector.apply(event) }
                    let batch = page.isEmpty ? projector.finish() : projector.takeBatch()
                    return (projector: projector, batch: batch, count: page.count)
                }
                projector = read.projector
                try await writing?.value
                writing = Task {
                    try await writer.perform { writer in try read.batch.copy(into: ShadowTables.tables, on: writer) }
                }
                if read.count == 0 { break }
                events += read.count
                await tally.add(read.count)
            }
            try await writing?.value
            try await writer.perform { writer in try writer.executeScript("COMMIT") }
        } catch {
            _ = try? await writing?.value
            try? await writer.perform { writer in try writer.executeScript("ROLLBACK") }
            throw error
        }
        try await reader.perform { reader in try reader.executeScript("ROLLBACK") }
        return Folded(events: events, articles: projector.articles)
    }

    /// Makes the caller's transaction (just begun, REPEATABLE READ) read in an exported snapshot.
    static func importSnapshot(_ exported: String, on connection: isolated Connection) throws {
        // SET takes no parameters; the id is the server's own, hex digits and dashes.
        guard exported.allSatisfy({ $0.isHexDigit || $0 == "-" }) else {
            throw PostgresError(kind: .invalidValue, message: "unexpected snapshot id \(exported)")
        }
        try connection.executeScript("SET TRANSACTION SNAPSHOT '\(exported)'")
    }
}

/// Adds up the events every worker has folded, for one progress report across them.
actor RebuildTally {
    private let total: Int
    private let progress: @Sendable (ProjectionRebuild.Progress) -> Void
    private var events = 0

    init(total: Int, progress: @escaping @Sendable (ProjectionRebuild.Progress) -> Void) {
        self.total = total
        self.progress = progress
    }

    func add(_ count: Int) {
        events += count
        progress(ProjectionRebuild.Progress(events: events, total: max(total, events)))
    }
}
