import Editorial
import EventStore
import Foundation
import Postgres

/// Rebuilds every projection (articles, revisions, audit log, search) from the events alone.
///
/// The events stream through a cursor in stream order, a page at a time, into new copies of the
/// projection tables (`ShadowTables`), so memory holds a page or two and one article whatever the
/// size of the store. `replay` then swaps the copies in atomically; `verify` compares them with
/// the live tables in the same snapshot instead, and rolls them back.
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
        defer { Task { await writer.close() } }
        let built = try await rebuild(on: writer, inEventsSnapshot: false, progress: progress)
        try await writer.perform { writer in
            do {
                // Appends (and the commands that lock their stream) wait from here until the swap commits.
                try EventStore.pauseAppends(on: writer)
                try catchUp(since: built.snapshot, on: writer)
                try ShadowTables.swap(on: writer)
                try writer.executeScript("COMMIT")
            } catch {
                try? writer.executeScript("ROLLBACK")
                throw error
            }
        }
        return Summary(events: built.events, articles: built.articles, seconds: Self.seconds(clock.now - started))
    }

    /// Rebuilds beside the live projections and lists every row where the two differ, both read
    /// in one snapshot. Changes nothing: the rebuilt tables are rolled back.
    public func verify(progress: @escaping @Sendable (Progress) -> Void = { _ in }) async throws
        -> (summary: Summary, differences: [ProjectionDifference])
    {
        let clock = ContinuousClock()
        let started = clock.now
        let writer = try await Connection.connect(to: conninfo)
        defer { Task { await writer.close() } }
        let built = try await rebuild(on: writer, inEventsSnapshot: true, progress: progress)
        let differences = try await writer.perform { writer in
            defer { try? writer.executeScript("ROLLBACK") }
            return try ProjectionDifference.all(rebuilt: ShadowTables.tables, live: .live, on: writer)
        }
        let summary = Summary(
            events: built.events, articles: built.articles, seconds: Self.seconds(clock.now - started))
        return (summary, differences)
    }

    /// Streams every event in stream order into new shadow tables on `writer`, leaving its
    /// transaction open. `inEventsSnapshot`: that transaction reads in the snapshot the events were
    /// read in (for comparing); otherwise it sees later commits (for catching up).
    ///
    /// A second connection reads and folds the next page while `writer` copies the last one, so
    /// both cores work: the database computes the search vectors as the rows arrive.
    private func rebuild(
        on writer: Connection, inEventsSnapshot: Bool, progress: @escaping @Sendable (Progress) -> Void
    ) async throws -> (events: Int, articles: Int, snapshot: String) {
        let reader = try await Connection.connect(to: conninfo)
        defer { Task { await reader.close() } }
        let opened = try await reader.perform { reader in
            try reader.executeScript("BEGIN ISOLATION LEVEL REPEATABLE READ")
            let row = try reader.query("SELECT pg_current_snapshot()::text, pg_export_snapshot()").first!
            let total = try EventStore.declareStreamOrderCursor(Self.cursor, on: reader)
            return (snapshot: try row.decode(0, as: String.self), exported: try row.decode(1, as: String.self),
                    total: total)
        }
        try await writer.perform { writer in
            if inEventsSnapshot {
                try writer.executeScript("BEGIN ISOLATION LEVEL REPEATABLE READ")
                // SET takes no parameters; the id is the server's own, hex digits and dashes.
                guard opened.exported.allSatisfy({ $0.isHexDigit || $0 == "-" }) else {
                    throw PostgresError(kind: .invalidValue, message: "unexpected snapshot id \(opened.exported)")
                }
                try writer.executeScript("SET TRANSACTION SNAPSHOT '\(opened.exported)'")
            } else {
                try writer.executeScript("BEGIN")
            }
            try ShadowTables.create(on: writer)
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
                progress(Progress(events: events, total: max(opened.total, events)))
            }
            try await writing?.value
        } catch {
            _ = try? await writing?.value
            try? await writer.perform { writer in try writer.executeScript("ROLLBACK") }
            throw error
        }
        try await reader.perform { reader in try reader.executeScript("ROLLBACK") }
        try await writer.perform { writer in try ShadowTables.finish(on: writer) }
        return (events, projector.articles, opened.snapshot)
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
