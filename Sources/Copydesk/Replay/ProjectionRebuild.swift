import Editorial
import EventStore
import Foundation
import Postgres

/// Rebuilds every projection (articles, revisions, audit log, search) from the events alone.
///
/// Workers fold the streams side by side, each its own share (split by a hash of the stream id),
/// reading the events of one snapshot in stream order, a page at a time, into new copies of the
/// projection tables (`ShadowTables`), so memory holds a page or two and one article per worker
/// whatever the size of the store. Every projection row belongs to one stream (the audit log's
/// positions are the events' own), so the shares need no order between them and the result is
/// the same whatever their number. `replay` then swaps the copies in atomically; `verify`
/// compares them with the live tables in one snapshot instead, and drops them.
public struct ProjectionRebuild: Sendable {
    /// Owner conninfo: replay replaces tables, which the service role may not do.
    public let conninfo: String
    /// Events per cursor page and per projection write, per worker.
    public var pageSize = 2000
    /// Workers folding streams side by side; nil picks a number for the store's size and the cores.
    public var jobs: Int?

    public init(conninfo: String, jobs: Int? = nil) {
        self.conninfo = conninfo
        self.jobs = jobs
    }

    /// How far a rebuild has come.
    public struct Progress: Sendable {
        public let events: Int
        public let total: Int
    }

    /// What a rebuild did.
    public struct Summary: Sendable {
        public let events: Int
        public let articles: Int
        public let seconds: Double
        public var eventsPerSecond: Double { seconds > 0 ? Double(events) / seconds : 0 }
    }

    /// Rebuilds and swaps the new projections in, in one transaction: readers see either the old
    /// tables or the complete new ones. Writers are paused only for the swap, while the events
    /// committed during the rebuild are caught up.
    public func replay(progress: @escaping @Sendable (Progress) -> Void = { _ in }) async throws -> Summary {
        let clock = ContinuousClock()
        let started = clock.now
        let coordinator = try await Connection.connect(to: conninfo)
        defer { Task { await coordinator.close() } }
        let built = try await withShadowTables(on: coordinator) {
            let built = try await rebuild(on: coordinator, progress: progress)
            try await coordinator.perform { coordinator in
                try coordinator.executeScript("BEGIN")
                do {
                    // Appends (and the commands that lock their stream) wait from here until the swap commits.
                    try EventStore.pauseAppends(on: coordinator)
                    try catchUp(since: built.snapshot, on: coordinator)
                    try ShadowTables.swap(on: coordinator)
                    try coordinator.executeScript("COMMIT")
                } catch {
                    try? coordinator.executeScript("ROLLBACK")
                    throw error
                }
            }
            return built
        }
        return Summary(events: built.events, articles: built.articles, seconds: Self.seconds(clock.now - started))
    }

    /// Rebuilds beside the live projections and lists every row where the two differ, both read
    /// in one snapshot. Changes nothing: the rebuilt tables are dropped.
    public func verify(progress: @escaping @Sendable (Progress) -> Void = { _ in }) async throws
        -> (summary: Summary, differences: [ProjectionDifference])
    {
        let clock = ContinuousClock()
        let started = clock.now
        let coordinator = try await Connection.connect(to: conninfo)
        defer { Task { await coordinator.close() } }
        let (built, differences) = try await withShadowTables(on: coordinator) {
            let built = try await rebuild(on: coordinator, progress: progress)
            let differences = try await coordinator.perform { coordinator in
                // The events committed since the rebuild's snapshot are caught up in the snapshot the
                // comparison reads, so both sides stand for the same events; nothing is committed.
                try coordinator.executeScript("BEGIN ISOLATION LEVEL REPEATABLE READ")
                defer { try? coordinator.executeScript("ROLLBACK") }
                try catchUp(since: built.snapshot, on: coordinator)
                return try ProjectionDifference.all(rebuilt: ShadowTables.tables, live: .live, on: coordinator)
            }
            return (built, differences)
        }
        let summary = Summary(
            events: built.events, articles: built.articles, seconds: Self.seconds(clock.now - started))
        return (summary, differences)
    }

    /// Runs `body` with new, empty shadow tables, one rebuild at a time, and drops whatever is
    /// left of them afterwards (nothing, once swapped in), even when `body` fails.
    private func withShadowTables<T: Sendable>(
        on coordinator: Connection, _ body: () async throws -> T
    ) async throws -> T {
        try await coordinator.perform { coordinator in
            // A session lock: the rebuild spans several transactions, and its workers' connections.
            try coordinator.query("SELECT pg_advisory_lock($1)", [ShadowTables.lockKey])
            // Committed, so that every worker's transaction can write into them.
            try coordinator.executeScript("BEGIN")
            try ShadowTables.drop(on: coordinator)
            try ShadowTables.create(on: coordinator)
            try coordinator.executeScript("COMMIT")
        }
        let dropShadowTables = { @Sendable (coordinator: isolated Connection) throws in
            try? coordinator.executeScript("ROLLBACK")
            try ShadowTables.drop(on: coordinator)
            try coordinator.query("SELECT pg_advisory_unlock($1)", [ShadowTables.lockKey])
        }
        let value: T
        do {
            value = try await body()
        } catch {
            try? await coordinator.perform(dropShadowTables)
            throw error
        }
        try await coordinator.perform(dropShadowTables)
        return value
    }

    /// Fills the shadow tables with every event of one snapshot, in `jobs` workers, and builds
    /// their indexes. Returns that snapshot (`pg_current_snapshot()`), for catching up later.
    private func rebuild(
        on coordinator: Connection, progress: @escaping @Sendable (Progress) -> Void
    ) async throws -> (events: Int, articles: Int, snapshot: String) {
        // The coordinator's transaction holds the snapshot open until every worker has read in it.
        let opened = try await coordinator.perform { coordinator in
            try coordinator.executeScript("BEGIN ISOLATION LEVEL REPEATABLE READ")
            let row = try coordinator.query(
                "SELECT pg_current_snapshot()::text, pg_export_snapshot(), (SELECT count(*) FROM events)"
            ).first!
            return (snapshot: try row.decode(0, as: String.self), exported: try row.decode(1, as: String.self),
                    total: try row.decode(2, as: Int.self))
        }
        let jobs = self.jobs ?? Self.defaultJobs(events: opened.total)
        let tally = RebuildTally(total: opened.total, progress: progress)
        let folded: Folded
        do {
            folded = try await withThrowingTaskGroup(of: Folded.self) { group in
                for share in 0..<jobs {
                    group.addTask { try await fold(share: share, of: jobs, snapshot: opened.exported, tally: tally) }
                }
                return try await group.reduce(into: Folded()) { sum, one in
                    sum.events += one.events
                    sum.articles += one.articles
                }
            }
        } catch {
            try? await coordinator.perform { coordinator in try coordinator.executeScript("ROLLBACK") }
            throw error
        }
        try await coordinator.perform { coordinator in try coordinator.executeScript("ROLLBACK") }
        // Index builds are PostgreSQL's alone and mostly one core each (a GIN index entirely), so
        // the tables are finished side by side, each on a connection of its own.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (_, shadow) in ProjectionTables.live.paired(with: ShadowTables.tables) {
                group.addTask {
                    let connection = try await Connection.connect(to: conninfo)
                    defer { Task { await connection.close() } }
                    try await connection.transaction { connection in try ShadowTables.finish(shadow, on: connection) }
                }
            }
            try await group.waitForAll()
        }
        return (folded.events, folded.articles, opened.snapshot)
    }

    /// One worker for a small store, where more would cost more in connections than they save;
    /// otherwise one per core, up to 8 (each takes two connections and a page or two of memory).
    package static func defaultJobs(events: Int) -> Int {
        events < 100_000 ? 1 : min(max(ProcessInfo.processInfo.activeProcessorCount, 1), 8)
    }

    /// Re-projects into the shadow tables, from scratch, every stream that gained events since
    /// `snapshot` was taken.
    private func catchUp(since snapshot: String, on connection: isolated Connection) throws {
        let streams = try EventStore.streamsAppended(after: snapshot, on: connection)
        let tables = ShadowTables.tables
        for stream in streams {
            let rowsOfStream: [(table: String, key: String, value: any PostgresEncodable)]
            if let article = ArticleStream.articleId(of: stream) {
                rowsOfStream = [
                    (tables.articles, "id", article), (tables.articleSearch, "article_id", article),
                    (tables.revisions, "article_id", article), (tables.auditLog, "article_id", article),
                ]
            } else if let user = UserStream.userName(of: stream) {
                rowsOfStream = [(tables.users, "name", user), (tables.auditLog, "user_name", user)]
            } else {
                continue
            }
            for (table, key, value) in rowsOfStream {
                try connection.query("DELETE FROM \(table) WHERE \(key) = $1", [value])
            }
            var projector = StreamProjector()
            for event in try EventStore.replayEvents(of: stream, on: connection) { try projector.apply(event) }
            try projector.finish().copy(into: tables, on: connection)
        }
    }

    /// The cursor the reader connection reads the events through.
    static let cursor = "replay_events"

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
