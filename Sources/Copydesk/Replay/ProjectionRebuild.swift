import Editorial
import EventStore
import Foundation
import Postgres

/// Rebuilds every projection (articles, revisions, audit log, search) from the events alone.
///
/// The events stream through a cursor in stream order, a page at a time, into temporary copies of
/// the projection tables, so memory holds one page and one article whatever the size of the
/// store. `replay` then swaps the copies in atomically; `verify` compares them with the live
/// tables in the same snapshot instead.
public struct ProjectionRebuild: Sendable {
    /// Owner conninfo: replay replaces tables, which the service role may not do.
    public let conninfo: String
    /// Events per cursor page and per projection write.
    public var pageSize = 2000

    public init(conninfo: String) {
        self.conninfo = conninfo
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
        let connection = try await Connection.connect(to: conninfo)
        return try await connection.perform { connection in
            let clock = ContinuousClock()
            let started = clock.now
            try connection.executeScript("BEGIN ISOLATION LEVEL REPEATABLE READ")
            let built: (events: Int, articles: Int, snapshot: String)
            do {
                built = try rebuildIntoTemporaryTables(on: connection, progress: progress)
                try connection.executeScript("COMMIT")
            } catch {
                try? connection.executeScript("ROLLBACK")
                throw error
            }
            try connection.executeScript("BEGIN")
            do {
                // Appends (and the commands that lock their stream) wait from here until the swap commits.
                try connection.executeScript("LOCK TABLE streams IN EXCLUSIVE MODE")
                try catchUp(since: built.snapshot, on: connection)
                try connection.executeScript(
                    """
                    TRUNCATE public.articles, public.revisions, public.audit_log;
                    INSERT INTO public.articles (\(ArticleRow.columns)) SELECT \(ArticleRow.columns) FROM pg_temp.articles;
                    INSERT INTO public.revisions (\(RevisionRow.columns)) SELECT \(RevisionRow.columns) FROM pg_temp.revisions;
                    INSERT INTO public.audit_log (\(AuditRow.columns)) SELECT \(AuditRow.columns) FROM pg_temp.audit_log;
                    """)
                try connection.executeScript("COMMIT")
            } catch {
                try? connection.executeScript("ROLLBACK")
                throw error
            }
            try connection.executeScript("DROP TABLE pg_temp.articles, pg_temp.revisions, pg_temp.audit_log")
            return Summary(
                events: built.events, articles: built.articles, seconds: Self.seconds(clock.now - started))
        }
    }

    /// Rebuilds into temporary tables and lists every row where they differ from the live
    /// projections, both read in one snapshot. Changes nothing.
    public func verify(progress: @escaping @Sendable (Progress) -> Void = { _ in }) async throws
        -> (summary: Summary, differences: [ProjectionDifference])
    {
        let connection = try await Connection.connect(to: conninfo)
        return try await connection.perform { connection in
            let clock = ContinuousClock()
            let started = clock.now
            try connection.executeScript("BEGIN ISOLATION LEVEL REPEATABLE READ")
            defer { try? connection.executeScript("ROLLBACK") }
            let built = try rebuildIntoTemporaryTables(on: connection, progress: progress)
            let differences = try ProjectionDifference.all(on: connection)
            let summary = Summary(
                events: built.events, articles: built.articles, seconds: Self.seconds(clock.now - started))
            return (summary, differences)
        }
    }

    /// Streams every event in stream order into fresh temporary projection tables, which shadow
    /// the live ones for unqualified names on this connection.
    private func rebuildIntoTemporaryTables(
        on connection: isolated Connection, progress: @Sendable (Progress) -> Void
    ) throws -> (events: Int, articles: Int, snapshot: String) {
        let snapshot: String = try connection.query("SELECT pg_current_snapshot()::text").first!.decode(0)
        let total: Int = try connection.query("SELECT count(*) FROM events").first!.decode(0)
        try connection.executeScript(
            """
            CREATE TEMP TABLE articles (LIKE public.articles INCLUDING ALL);
            CREATE TEMP TABLE revisions (LIKE public.revisions INCLUDING ALL);
            CREATE TEMP TABLE audit_log (LIKE public.audit_log INCLUDING ALL);
            DECLARE replay_events NO SCROLL CURSOR FOR
                SELECT \(EventStore.columns) FROM events ORDER BY stream_id, stream_version;
            """)
        var projector = StreamProjector()
        var events = 0
        while true {
            let page = try connection.query("FETCH \(pageSize) FROM replay_events").rows
            if page.isEmpty { break }
            for row in page { try projector.apply(try RecordedEvent(row: row)) }
            try projector.flush(on: connection)
            events += page.count
            progress(Progress(events: events, total: max(total, events)))
        }
        try connection.executeScript("CLOSE replay_events")
        try projector.finish(on: connection)
        return (events, projector.articles, snapshot)
    }

    /// Re-projects, from scratch, every stream that gained events since `snapshot` was taken.
    private func catchUp(since snapshot: String, on connection: isolated Connection) throws {
        let streams = try connection.query(
            """
            SELECT DISTINCT stream_id FROM events
            WHERE transaction_id >= pg_snapshot_xmin($1::pg_snapshot)
              AND NOT pg_visible_in_snapshot(transaction_id, $1::pg_snapshot)
            """,
            [snapshot]
        ).rows.map { try $0.decode(0, as: String.self) }
        for stream in streams {
            guard let article = ArticleStream.articleId(of: stream) else { continue }
            try connection.query("DELETE FROM pg_temp.articles WHERE id = $1", [article])
            try connection.query("DELETE FROM pg_temp.revisions WHERE article_id = $1", [article])
            try connection.query("DELETE FROM pg_temp.audit_log WHERE article_id = $1", [article])
            var projector = StreamProjector()
            let rows = try connection.query(
                "SELECT \(EventStore.columns) FROM events WHERE stream_id = $1 ORDER BY stream_version", [stream]).rows
            for row in rows { try projector.apply(try RecordedEvent(row: row)) }
            try projector.finish(on: connection)
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// Folds events arriving in stream order into projection rows, one article at a time.
struct StreamProjector {
    private var batch = ProjectionBatch()
    private var stream: String?
    private var state: Article?
    private(set) var articles = 0

    mutating func apply(_ recorded: RecordedEvent) throws {
        if recorded.streamId != stream {
            if let state { batch.save(state) }
            stream = recorded.streamId
            state = nil
        }
        guard ArticleStream.articleId(of: recorded.streamId) != nil else { return }
        let event = try ArticleStream.decode(recorded)
        let before = state
        state = ArticleDecider.evolve(state, event)
        if before == nil && state != nil { articles += 1 }
        guard let after = state else { return }
        batch.record(event, before: before, after: after, position: recorded.globalPosition, metadata: recorded.metadata)
    }

    /// Writes what has been folded so far; an article spanning pages is saved again later.
    mutating func flush(on connection: isolated Connection) throws {
        if let state { batch.save(state) }
        try batch.write(on: connection)
        batch = ProjectionBatch()
    }

    mutating func finish(on connection: isolated Connection) throws {
        try flush(on: connection)
        stream = nil
        state = nil
    }
}
