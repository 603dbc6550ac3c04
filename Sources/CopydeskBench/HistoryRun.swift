import Copydesk
import Editorial
import Foundation
import Postgres

/// `copydesk-bench --history N`: the same cases on an (almost) empty store and on one holding N
/// events of generated history, side by side, to show what grows with the store.
struct HistoryRun {
    let events: Int
    let perCase: Duration
    let httpConnections: Int
    let progress: @Sendable (String) -> Void

    /// The small store the empty side starts from: enough events for the feed cases to read.
    static let emptyArticles = 1_000
    /// Events of the article `show --at` rebuilds.
    static let longArticleEvents = 1_000

    struct Side: Encodable {
        let label: String
        let events: Int
        let bytes: Int64
        /// What the events and their projections took on disk, per event, before the cases wrote more.
        let bytesPerEvent: Double
        let cases: [CaseResult]
    }

    func run() async throws -> (empty: Side, large: Side) {
        _ = try WorkflowCases.replayBinary()  // fail now, not after generating
        let generator = try HistoryGenerator(
            sample: try SeedArticle.parse(try String(contentsOf: WorkflowCases.sampleSeed, encoding: .utf8)))

        let emptyDatabase = try await BenchDatabase.create(purpose: "empty")
        progress("database \(emptyDatabase.name): \(Self.emptyArticles) articles, then the cases")
        let empty = try await side(emptyDatabase, articles: Self.emptyArticles, generator: generator, label: "empty")
        try await emptyDatabase.drop()

        let articles = max(events / generator.eventsPerArticle, Self.emptyArticles)
        let largeDatabase = try await BenchDatabase.create(purpose: "history")
        do {
            try await requireDisk(for: articles * generator.eventsPerArticle, measured: empty, on: largeDatabase)
            let large = try await side(
                largeDatabase, articles: articles, generator: generator,
                label: "\(grouped(articles * generator.eventsPerArticle + Self.longArticleEvents)) events")
            try await largeDatabase.drop()
            return (empty, large)
        } catch {
            try? await largeDatabase.drop()
            throw error
        }
    }

    /// Generates `articles` articles and a long one, builds the projections with the measured
    /// replay, then runs every case.
    private func side(_ database: BenchDatabase, articles: Int, generator: HistoryGenerator, label: String)
        async throws -> Side
    {
        let total = articles * generator.eventsPerArticle
        let clock = ContinuousClock()
        let started = clock.now
        let emptyBytes = try await database.sizeBytes()
        let owner = try await Connection.connect(to: database.ownerConninfo)
        try await owner.perform { owner in try generator.install(on: owner) }
        await owner.close()
        let step = max(total / 20, 1)
        let reported = Reported()
        try await generator.generate(articles: articles, conninfo: database.ownerConninfo, connections: 2) { written in
            if reported.crossed(written / step) {
                progress("generated \(grouped(written)) of \(grouped(total)) events")
            }
        }
        // The generated events end here; the long article and the cases' own writes come after.
        let generatedEnd = try await StoreCases.count("SELECT max(global_position) FROM events", in: database)
        let long = try await StoreCases.longArticle(database, events: Self.longArticleEvents)
        progress("generated \(grouped(total + Self.longArticleEvents)) events in "
            + String(format: "%.0f s", seconds(clock.now - started)) + "; vacuum, checkpoint")
        try await database.settle(vacuum: true)

        var cases: [CaseResult] = []
        progress("replay (builds the projections)")
        cases.append(try await WorkflowCases.replay(database, events: total + Self.longArticleEvents))
        try await database.settle(vacuum: true)
        let bytesPerEvent = Double(try await database.sizeBytes() - emptyBytes) / Double(total + Self.longArticleEvents)
        // Before any case writes: the feed cases read generated history only.
        progress("feed reads at the start, middle and end")
        for (fraction, name) in [(0.0, "feed_start"), (0.5, "feed_middle"), (1.0, "feed_end")] {
            cases.append(try await StoreCases.feed(
                database, at: fraction, endingAt: Int64(generatedEnd), name: name, for: perCase / 2))
        }
        for clients in [1, 8] {
            progress("commands at \(clients) client\(clients == 1 ? "" : "s"): their floor and the service, alternating")
            let (floor, commands) = try await CommandCases.againstFloor(database, clients: clients, for: perCase)
            cases += [floor, compared(commands, with: nil, floor: floor)]
        }
        progress("show --at on an article with \(Self.longArticleEvents) events")
        cases.append(try await StoreCases.showAt(database, article: long.id, instant: long.middle, for: perCase / 2))
        progress("GET /articles/{id} at \(httpConnections) connections: one article, then across the store")
        cases += try await HTTPCases.run(database, connections: httpConnections, for: perCase, commands: false)
        cases += try await HTTPCases.run(
            database, connections: httpConnections, for: perCase, readArticles: try await sampleArticles(database),
            commands: false)
        progress("audit export")
        cases.append(try await StoreCases.auditExport(database))
        progress("verify")
        cases.append(try await StoreCases.verify(database))
        return Side(
            label: label, events: total + Self.longArticleEvents, bytes: try await database.sizeBytes(),
            bytesPerEvent: bytesPerEvent, cases: cases)
    }

    /// Refuses to generate what the disk cannot hold, from the bytes per event the empty side took.
    private func requireDisk(for events: Int, measured empty: Side, on database: BenchDatabase) async throws {
        let perEvent = empty.bytesPerEvent
        // Half as much again: replay and verify build a second copy of the projections beside the
        // first, and the write-ahead log needs its share.
        let needed = Int64(perEvent * Double(events) * 1.5)
        let free = try await database.freeDiskBytes()
        progress("needs about \(gigabytes(needed)) of disk (\(Int(perEvent)) bytes per event measured); "
            + "\(gigabytes(free)) free")
        guard needed < free else {
            throw BenchError("a history of \(grouped(events)) events needs about \(gigabytes(needed)) of disk "
                + "and only \(gigabytes(free)) is free; try a smaller --history")
        }
    }

    /// Up to 10,000 article ids spread over the store, for the GETs.
    private func sampleArticles(_ database: BenchDatabase) async throws -> [UUID] {
        let connection = try await Connection.connect(to: database.ownerConninfo)
        defer { Task { await connection.close() } }
        return try await connection.perform { connection in
            try connection.query("SELECT id FROM articles ORDER BY md5(id::text) LIMIT 10000").rows.map { try $0.decode(0) }
        }
    }

    // MARK: - Output

    static func table(_ empty: Side, _ large: Side) -> String {
        func number(_ value: Double?) -> String {
            guard let value else { return "-" }
            return value >= 100 ? grouped(Int(value.rounded())) : String(format: "%.2f", value)
        }
        func ratio(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "-" }
        let header = ["case", "unit", empty.label, "p99 ms", "÷ floor", large.label, "p99 ms", "÷ floor", "× empty",
                      "p99 × empty", "peak MB (empty / large)"]
        let rows = large.cases.map { result in
            let before = empty.cases.first { $0.name == result.name }
            let times = before.map { $0.value > 0 ? result.value / $0.value : 0 }
            let p99Times: Double? = if let was = before?.p99_ms, let now = result.p99_ms, was > 0 { now / was } else { nil }
            let peaks = [before?.peak_rss_mb, result.peak_rss_mb].map { $0.map { String(Int($0.rounded())) } ?? "-" }
            return [result.name, result.unit, number(before?.value), number(before?.p99_ms), ratio(before?.floorRatio),
                    number(result.value), number(result.p99_ms), ratio(result.floorRatio), ratio(times),
                    ratio(p99Times), peaks.joined(separator: " / ")]
        }
        let sizes = "store sizes: \(empty.label) \(grouped(empty.events)) events, \(gigabytes(empty.bytes)); "
            + "\(large.label), \(gigabytes(large.bytes))"
        return alignedColumns([header] + rows) + "\n" + sizes
    }
}

/// Remembers the last progress step reported, so that two generating connections report each once.
final class Reported: @unchecked Sendable {
    private let lock = NSLock()
    private var last = -1

    func crossed(_ step: Int) -> Bool {
        lock.withLock {
            guard step > last else { return false }
            last = step
            return true
        }
    }
}

func grouped(_ value: Int) -> String {
    let digits = String(value)
    var result = ""
    for (index, digit) in digits.reversed().enumerated() {
        if index > 0 && index % 3 == 0 { result.append(",") }
        result.append(digit)
    }
    return String(result.reversed())
}

func gigabytes(_ bytes: Int64) -> String {
    String(format: "%.1f GB", Double(bytes) / 1e9)
}
