import Copydesk
import Editorial
import EventStore
import Foundation
import Postgres

/// What a long history could make slower: reading the feed at its start, middle and end, an
/// article's past on a long stream, the audit export, `verify` and `replay`.
enum StoreCases {
    /// Events read per feed case: what a subscriber catching up reads, in pages of 1,000.
    static let feedEvents = 10_000

    /// Reads `feedEvents` events of the global log, as the feed does, from `fraction` of the way
    /// along it (0 the start, 0.5 the middle, 1 the last `feedEvents` up to position `end`), over
    /// and over for `duration`: events per second, and the latency of reading all `feedEvents`.
    static func feed(
        _ database: BenchDatabase, at fraction: Double, endingAt end: Int64, name: String, for duration: Duration
    ) async throws -> CaseResult {
        let pool = database.pool(size: 1)
        let store = EventStore(pool: pool)
        let cursor = try await pool.withConnection { connection in
            try await connection.perform { connection -> GlobalCursor in
                // The event before the one to start at: a fraction of the way along the log, or, for
                // the end, the one `feedEvents` before the last in the feed's own order (positions
                // have gaps, and transactions that wrote side by side interleave them).
                let row: Row?
                if fraction >= 1 {
                    row = try connection.query(
                        "SELECT transaction_id::text, global_position FROM events WHERE global_position <= $2 "
                            + "ORDER BY transaction_id DESC, global_position DESC OFFSET $1 LIMIT 1",
                        [feedEvents, end]).first
                } else {
                    let first: Int64 = try connection.query("SELECT min(global_position) FROM events").first!.decode(0)
                    let target = first + Int64(Double(max(end - first - 2 * Int64(feedEvents), 0)) * fraction)
                    row = try connection.query(
                        "SELECT transaction_id::text, global_position FROM events WHERE global_position < $1 "
                            + "ORDER BY global_position DESC LIMIT 1", [target]).first
                }
                guard let row else { return .start }
                return GlobalCursor(transactionId: try row.decode(0), position: try row.decode(1))
            }
        }
        let result = try await measure(clients: 1, for: duration, operationsPerCall: feedEvents) { _, _ in
            var after = cursor
            var read = 0
            while read < feedEvents {
                let page = try await store.readAll(after: after, limit: 1000)
                guard let last = page.last else { throw BenchError("the feed ended after \(read) events") }
                read += page.count
                after = last.cursor
            }
        }
        return CaseResult(
            name: name, value: result.rate, unit: "events/s", p50_ms: result.p50, p99_ms: result.p99,
            peak_rss_mb: nil)
    }

    /// `show --at`: the article as it was at an instant halfway through its events, rebuilt from
    /// its stream each time.
    static func showAt(_ database: BenchDatabase, article: UUID, instant: Date, for duration: Duration)
        async throws -> CaseResult
    {
        let app = CopydeskApp(pool: database.pool(size: 1))
        let result = try await measure(clients: 1, for: duration) { _, _ in
            guard try await app.queries.article(article, at: instant) != nil else {
                throw BenchError("show --at found no article \(article)")
            }
        }
        return CaseResult(
            name: "show_at_1000_events", value: result.rate, unit: "calls/s", p50_ms: result.p50, p99_ms: result.p99,
            peak_rss_mb: nil)
    }

    /// Drafts an article and gives it `events` events in all (edits and comments in turn) through
    /// the command service; returns it and an instant halfway through its history.
    static func longArticle(_ database: BenchDatabase, events: Int) async throws -> (id: UUID, middle: Date) {
        let app = CopydeskApp(pool: database.pool(size: 1))
        let id = UUID()
        _ = try await app.commands.handle(WorkflowCommand(
            article: id, actor: WorkflowCases.author,
            action: .draft(id: id, content: ArticleContent(title: "A long story", body: "It begins."), originalDate: nil),
            origin: .cli))
        var middle = Date()
        for index in 1..<events {
            let action: ArticleCommand.Action = index % 2 == 0
                ? .edit(ContentChanges(body: "It begins, and goes on: part \(index)."), note: nil)
                : .comment(text: "Note \(index)")
            _ = try await app.commands.handle(WorkflowCommand(
                article: id, actor: index % 2 == 0 ? WorkflowCases.author : WorkflowCases.editor, action: action,
                origin: .cli))
            if index == events / 2 { middle = Date() }
        }
        return (id, middle)
    }

    /// `copydesk audit --format jsonl` of the whole log into a file that is then removed: rows per
    /// second and the exporting process's peak memory.
    static func auditExport(_ database: BenchDatabase) async throws -> CaseResult {
        let rows = try await count("SELECT count(*) FROM audit_log", in: database)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("copydesk-bench-audit-\(getpid()).jsonl")
        defer { try? FileManager.default.removeItem(at: file) }
        let run = try await ChildRun.copydesk(["audit", "--format", "jsonl"], conninfo: database.ownerConninfo,
                                              outputFile: file.path)
        return CaseResult(
            name: "audit_export", value: Double(rows) / run.wallSeconds, unit: "rows/s", p50_ms: nil, p99_ms: nil,
            peak_rss_mb: run.peakMegabytes)
    }

    /// `copydesk verify`: every hash chain, then a rebuild compared with the live projections.
    static func verify(_ database: BenchDatabase) async throws -> CaseResult {
        let events = try await count("SELECT count(*) FROM events", in: database)
        let run = try await ChildRun.copydesk(["verify"], conninfo: database.ownerConninfo)
        guard run.output.contains("The projections match the events.") else {
            throw BenchError("copydesk verify did not find the store intact: \(run.output)")
        }
        return CaseResult(
            name: "verify", value: Double(events) / run.wallSeconds, unit: "events/s", p50_ms: nil, p99_ms: nil,
            peak_rss_mb: run.peakMegabytes)
    }

    static func count(_ sql: String, in database: BenchDatabase) async throws -> Int {
        let connection = try await Connection.connect(to: database.ownerConninfo)
        defer { Task { await connection.close() } }
        return try await connection.perform { connection in try connection.query(sql).first!.decode(0) }
    }
}
