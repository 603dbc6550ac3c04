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
        let clock = ContinuousClock()
        let started = clock.now
        let writer = try await Connection.connect(to: conninfo)
        let built = try await rebuildIntoTemporaryTables(on: writer, progress: progress)
        try await writer.perform { writer in
            try writer.executeScript("COMMIT")
            try writer.executeScript("BEGIN")
            do {
                // Appends (and the commands that lock their stream) wait from here until the swap commits.
                try writer.executeScript("LOCK TABLE streams IN EXCLUSIVE MODE")
                try catchUp(since: built.snapshot, on: writer)
                try swapIn(on: writer)
                try writer.executeScript("COMMIT")
            } catch {
                try? writer.executeScript("ROLLBACK")
                throw error
            }
            try writer.executeScript("DROP TABLE pg_temp.articles, pg_temp.revisions, pg_temp.audit_log")
        }
        return Summary(events: built.events, articles: built.articles, seconds: Self.seconds(clock.now - started))
    }

    /// Rebuilds into temporary tables and lists every row where they differ from the live
    /// projections, both read in one snapshot. Changes nothing.
    public func verify(progress: @escaping @Sendable (Progress) -> Void = { _ in }) async throws
        -> (summary: Summary, differences: [ProjectionDifference])
    {
        let clock = ContinuousClock()
        let started = clock.now
        let writer = try await Connection.connect(to: conninfo)
        let built = try await rebuildIntoTemporaryTables(on: writer, progress: progress)
        let differences = try await writer.perform { writer in
            defer { try? writer.executeScript("ROLLBACK") }
            return try ProjectionDifference.all(on: writer)
        }
        let summary = Summary(
            events: built.events, articles: built.articles, seconds: Self.seconds(clock.now - started))
        return (summary, differences)
    }

    /// Streams every event in stream order into fresh temporary projection tables on `writer`,
    /// which shadow the live ones for unqualified names there. Leaves `writer` in an open
    /// transaction whose snapshot is the one the events were read in.
    ///
    /// A second connection reads and folds the next page while `writer` copies the last one, so
    /// both cores work. The tables get no indexes while they fill (each row is written once, with
    /// COPY); the catch-up and the comparison with the live tables then find rows by article id.
    /// The copy of `articles` does not generate `search` (a plain, empty column here): the swap
    /// computes it once, in the live table.
    private func rebuildIntoTemporaryTables(
        on writer: Connection, progress: @escaping @Sendable (Progress) -> Void
    ) async throws -> (events: Int, articles: Int, snapshot: String) {
        let reader = try await Connection.connect(to: conninfo)
        let opened = try await reader.perform { reader in
            try reader.executeScript("BEGIN ISOLATION LEVEL REPEATABLE READ")
            let row = try reader.query(
                "SELECT pg_current_snapshot()::text, pg_export_snapshot(), (SELECT count(*) FROM events)"
            ).first!
            try reader.executeScript(
                """
                DECLARE replay_events NO SCROLL CURSOR FOR
                    SELECT \(ReplayedEvent.columns) FROM events ORDER BY stream_id, stream_version
                """)
            return (snapshot: try row.decode(0, as: String.self), exported: try row.decode(1, as: String.self),
                    total: try row.decode(2, as: Int.self))
        }
        try await writer.perform { writer in
            try writer.executeScript("BEGIN ISOLATION LEVEL REPEATABLE READ")
            // SET takes no parameters; the id is the server's own, hex digits and dashes.
            guard opened.exported.allSatisfy({ $0.isHexDigit || $0 == "-" }) else {
                throw PostgresError(kind: .invalidValue, message: "unexpected snapshot id \(opened.exported)")
            }
            try writer.executeScript("SET TRANSACTION SNAPSHOT '\(opened.exported)'")
            try writer.executeScript(
                """
                CREATE TEMP TABLE articles (LIKE public.articles INCLUDING DEFAULTS);
                CREATE TEMP TABLE revisions (LIKE public.revisions INCLUDING DEFAULTS);
                CREATE TEMP TABLE audit_log (LIKE public.audit_log INCLUDING DEFAULTS);
                """)
        }

        let pageSize = self.pageSize
        var projector = StreamProjector()
        var events = 0
        var writing: Task<Void, any Error>?
        do {
            while true {
                let folded = projector
                let read = try await reader.perform { reader in
                    var projector = folded
                    let page = try reader.query("FETCH \(pageSize) FROM replay_events").rows
                    for row in page { try projector.apply(try ReplayedEvent(row: row)) }
                    let batch = page.isEmpty ? projector.finish() : projector.takeBatch()
                    return (projector: projector, batch: batch, count: page.count)
                }
                projector = read.projector
                try await writing?.value
                writing = Task { try await writer.perform { writer in try read.batch.copy(on: writer) } }
                if read.count == 0 { break }
                events += read.count
                progress(Progress(events: events, total: max(opened.total, events)))
            }
            try await writing?.value
        } catch {
            _ = try? await writing?.value
            throw error
        }
        try await reader.perform { reader in try reader.executeScript("ROLLBACK") }
        await reader.close()
        try await writer.perform { writer in
            try writer.executeScript(
                """
                CREATE INDEX ON pg_temp.articles (id);
                CREATE INDEX ON pg_temp.revisions (article_id);
                CREATE INDEX ON pg_temp.audit_log (article_id);
                """)
        }
        return (events, projector.articles, opened.snapshot)
    }

    /// Replaces the live projections' rows with the rebuilt ones, inside the caller's transaction.
    ///
    /// Loading into indexed tables updates every index row by row; instead the indexes and unique
    /// constraints are dropped, the rows copied, and they are built again in one pass each. Their
    /// definitions come from the catalog, so they follow whatever the migrations made.
    private func swapIn(on connection: isolated Connection) throws {
        let indexes = try connection.query(
            """
            WITH live(id) AS (VALUES ('public.articles'::regclass), ('public.revisions'::regclass),
                                     ('public.audit_log'::regclass))
            SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname) AS drop_it,
                   format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname,
                          pg_get_constraintdef(c.oid)) AS build_it
            FROM pg_constraint c JOIN live ON c.conrelid = live.id
            WHERE c.contype IN ('p', 'u')
            UNION ALL
            SELECT format('DROP INDEX %s', i.indexrelid::regclass), pg_get_indexdef(i.indexrelid)
            FROM pg_index i JOIN live ON i.indrelid = live.id
            WHERE NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            """
        ).rows.map { (drop: try $0.decode(0, as: String.self), build: try $0.decode(1, as: String.self)) }
        try connection.executeScript("TRUNCATE public.articles, public.revisions, public.audit_log")
        for index in indexes { try connection.executeScript(index.drop) }
        try connection.executeScript(
            """
            INSERT INTO public.articles (\(ArticleRow.columns)) SELECT \(ArticleRow.columns) FROM pg_temp.articles;
            INSERT INTO public.revisions (\(RevisionRow.columns)) SELECT \(RevisionRow.columns) FROM pg_temp.revisions;
            INSERT INTO public.audit_log (\(AuditRow.columns)) SELECT \(AuditRow.columns) FROM pg_temp.audit_log;
            """)
        for index in indexes { try connection.executeScript(index.build) }
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
                "SELECT \(ReplayedEvent.columns) FROM events WHERE stream_id = $1 ORDER BY stream_version", [stream]
            ).rows
            for row in rows { try projector.apply(try ReplayedEvent(row: row)) }
            try projector.finish().copy(on: connection)
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// What replay reads of an event: the metadata's fields come out of the JSON in SQL, by position.
struct ReplayedEvent {
    let position: Int64
    let stream: String
    let type: String
    let schemaVersion: Int
    let data: String
    let metadata: EventMetadata

    static let columns = """
        global_position, stream_id, event_type, schema_version, data::text,
        metadata ->> 'actor', metadata ->> 'commandId', metadata ->> 'correlationId', metadata ->> 'causationId',
        metadata ->> 'origin'
        """

    init(row: Row) throws {
        position = try row.decode(0)
        stream = try row.decode(1)
        type = try row.decode(2)
        schemaVersion = try row.decode(3)
        data = try row.decode(4)
        let originText: String = try row.decode(9)
        guard let origin = Origin(rawValue: originText) else {
            throw PostgresError(kind: .invalidValue, message: "event \(position) has an unknown origin \"\(originText)\"")
        }
        metadata = EventMetadata(
            actor: try row.decode(5), commandId: try row.decode(6), correlationId: try row.decode(7),
            causationId: try row.decode(8), origin: origin)
    }
}

/// Folds events arriving in stream order into projection rows, one article at a time.
///
/// Each article's row is saved once, when its stream ends, so the rows can be copied into empty
/// tables without any row being replaced.
struct StreamProjector: Sendable {
    private var batch = ProjectionBatch()
    private var stream: String?
    private var state: Article?
    private(set) var articles = 0

    mutating func apply(_ event: ReplayedEvent) throws {
        if event.stream != stream {
            if let state { batch.save(state) }
            stream = event.stream
            state = nil
        }
        guard ArticleStream.articleId(of: event.stream) != nil else { return }
        let decoded = try ArticleEvent.decode(type: event.type, schemaVersion: event.schemaVersion, data: event.data)
        let before = state
        state = ArticleDecider.evolve(state, decoded)
        if before == nil && state != nil { articles += 1 }
        guard let after = state else { return }
        batch.record(decoded, before: before, after: after, position: event.position, metadata: event.metadata)
    }

    /// The rows folded so far, handed over to be written; the article still being folded is saved later.
    mutating func takeBatch() -> ProjectionBatch {
        defer { batch = ProjectionBatch() }
        return batch
    }

    /// The remaining rows, the last article's included, once every event has been applied.
    mutating func finish() -> ProjectionBatch {
        if let state { batch.save(state) }
        stream = nil
        state = nil
        return takeBatch()
    }
}
