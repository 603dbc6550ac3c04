import Copydesk
import Editorial
import EventStore
import Foundation
import Postgres

/// The floors: the very statements and rows a Copydesk case makes PostgreSQL execute, built by
/// Copydesk's own code before the clock starts and then only sent over libpq, on the same kind
/// of connections. What Copydesk adds on top of its floor is its own code; the floor itself is
/// what PostgreSQL needs for the work, triggers and indexes included.
enum FloorCases {
    /// Commands built ahead per second of a floor slice, over all clients: more than the rates
    /// seen on small machines. They take about 7 kB each, built before each slice and given back
    /// after it (see `forgetPeakMemory`), so that the service's slices run without them. A client
    /// that has sent all of its commands stops; the rate counts what was sent in the time taken.
    static let plannedCommandsPerSecond = 4000.0

    /// One command of the commands case, as the service would send it, and the article after it.
    struct PlannedCommand: Sendable {
        let opening: Pipeline
        let closing: Pipeline
        let after: Article
    }

    /// The commands the commands case sends, `count` per client: client `c`'s are the mix's
    /// commands from number `first[c]` on, on `articles[c]`, each decided on the state the one
    /// before it left (folded here, not read back), with fresh command and event ids.
    static func planCommands(_ app: CopydeskApp, on articles: [Article], from first: [Int], count: Int) throws
        -> [[PlannedCommand]]
    {
        try articles.indices.map { client in
            var state = articles[client]
            return try (first[client]..<first[client] + count).map { iteration in
                let command = WorkflowCases.command(iteration, on: state.id)
                let closing = try app.commands.closing(
                    for: command, action: command.action, state: state, rowExists: true)
                state = closing.article
                return PlannedCommand(
                    opening: app.commands.opening(for: command).pipeline, closing: closing.pipeline, after: state)
            }
        }
    }

    /// "import_floor": batches of the same files as `WorkflowCases.importSeeds`, as the importer
    /// writes them (the append of the batch's drafts, then its projection rows by COPY, in one
    /// transaction, as many batches at once as the importer runs), sent over libpq.
    ///
    /// Every batch needs new ids, and a few seconds' worth of batches would take gigabytes, so
    /// one batch is kept as a template (`BatchTemplate`), and each send fills in fresh ids and
    /// the positions the append gave: copying bytes, which is not Copydesk's work.
    static func importBatches(
        _ database: BenchDatabase, clients: Int = SeedImporter.maximumConcurrentBatches, for duration: Duration
    ) async throws -> CaseResult {
        let app = CopydeskApp(pool: database.pool(size: clients))
        let folder = try WorkflowCases.writeSeedVariants()
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = try SeedImporter.files(in: [folder.path])
        let planned = try app.importer.plannedBatch(files, as: WorkflowCases.author)
        let template = try BatchTemplate(appends: planned.appends, copies: planned.copies)
        let pool = app.commands.store.pool
        let result = try await measure(clients: clients, for: duration, operationsPerCall: files.count) { _, _ in
            let batch = template.fresh()
            try await pool.transaction { connection in
                let appended = try connection.query(EventStore.batchAppendSQL, [batch.appendDocument])
                let positions = try appended.rows.map { try $0.decode("first_position", as: Int64.self) }
                for copy in template.copies { try connection.copyIn(copy.sql, batch.rows(of: copy, positions: positions)) }
            }
            try await pool.withConnection { connection in _ = try await connection.query(EventStore.wakeUpSubscribers) }
        }
        return CaseResult(
            name: "import_floor", value: result.rate, unit: "events/s", p50_ms: result.p50, p99_ms: result.p99,
            peak_rss_mb: nil)
    }

    /// Gives the memory a floor built ahead back to the system and starts the kernel's peak
    /// resident memory (`peakResidentMegabytes`) afresh from now, so that the Copydesk cases
    /// after it report their own peak, not the floor's.
    static func forgetPeakMemory() {
        // glibc's malloc_trim, looked up as Swift's Glibc module does not declare it.
        if let trim = dlsym(nil, "malloc_trim") {
            _ = unsafeBitCast(trim, to: (@convention(c) (Int) -> Int32).self)(0)
        }
        // "5" resets the high-water mark (Linux 4.0 on); elsewhere nothing happens.
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }
}
