import ArgumentParser
import Foundation

/// `copydesk-bench`: Copydesk's throughput and latency beside raw PostgreSQL, in the same run.
@main
struct CopydeskBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copydesk-bench",
        abstract: "Measure Copydesk against raw libpq on the same database, in the same run.",
        discussion: """
            Run in release mode: swift run -c release copydesk-bench [--quick] [--json]. Uses \
            COPYDESK_DATABASE_URL when set (it must allow CREATE DATABASE), else a private cluster \
            under /tmp. Synchronous commit stays on. Beside the raw baselines, the commands, import \
            and replay cases have floors: the same statements and rows, built ahead by Copydesk's own \
            code and only sent (for replay, PostgreSQL's share of it), so "÷ floor" is what Copydesk's \
            code costs on top of the work PostgreSQL must do anyway.
            """)

    @Flag(help: "Run every case briefly (a little over a minute in all).") var quick = false
    @Flag(help: "Print one JSON object instead of the table.") var json = false
    @Option(help: "Seconds per timed case (default 10, or 2 with --quick).") var seconds: Double?
    @Option(help: "Events to generate and replay (default 1,000,000, or 50,000 with --quick).") var replayEvents: Int?
    @Option(help: "Concurrent HTTP connections.") var httpConnections = 32
    @Option(
        help: ArgumentHelp(
            "Generate a history of this many events and run the cases on it beside an empty store "
                + "(10000000 takes about half an hour here); --only does not apply.",
            valueName: "events"))
    var history: Int?
    @Option(
        name: .customLong("only"),
        help: "Run only these groups (commands, import, replay, http, desk), with the baselines they need; repeatable.")
    var groups: [CaseGroup] = []

    enum CaseGroup: String, ExpressibleByArgument, CaseIterable {
        case commands, `import`, replay, http, desk
    }

    func wants(_ group: CaseGroup) -> Bool { groups.isEmpty || groups.contains(group) }

    func validate() throws {
        if let history, history < 100_000 {
            throw ValidationError("--history takes 100000 events or more (the empty side alone has 31,000)")
        }
    }

    func run() async throws {
        // Whatever ends the run (a signal, a failed case), it leaves no database behind.
        BenchCleanup.shared.install()
        do {
            try await runCases()
        } catch {
            await BenchCleanup.shared.dropAll()
            throw error
        }
    }

    func runCases() async throws {
        let perCase = Duration.milliseconds(Int((seconds ?? (quick ? 2 : 10)) * 1000))
        if let history {
            let (empty, large) = try await HistoryRun(
                events: history, perCase: perCase, httpConnections: httpConnections, progress: progress
            ).run()
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(["empty": empty, "history": large]), as: UTF8.self))
            } else {
                print(HistoryRun.table(empty, large))
            }
            return
        }
        let replayCount = replayEvents ?? (quick ? 50_000 : 1_000_000)
        if wants(.replay) { _ = try WorkflowCases.replayBinary() }  // fail now, not after generating events
        let database = try await BenchDatabase.create(purpose: "workflow")
        progress("database \(database.name); \(perCase) per timed case")

        var results: [CaseResult] = []
        var fresh = true  // nothing written yet: see `settle`
        func settleBeforeTiming() async throws {
            try await settle(database, vacuum: !fresh)
            fresh = false
        }
        if wants(.commands) {
            try await settleBeforeTiming()
            progress("raw single-row inserts, 1 and 8 connections")
            let raw1 = try await RawCases.singleInserts(database, clients: 1, for: perCase)
            let raw8 = try await RawCases.singleInserts(database, clients: 8, for: perCase)
            results += [raw1, raw8]
            for (clients, raw) in [(1, raw1), (8, raw8)] {
                progress(
                    "commands at \(clients) client\(clients == 1 ? "" : "s"): their floor (the same pipelines, built "
                        + "ahead) and the service, in alternating slices")
                let (floor, commands) = try await CommandCases.againstFloor(database, clients: clients, for: perCase)
                results += [floor, compared(commands, with: raw, floor: floor)]
            }
        }
        if wants(.import) {
            try await settleBeforeTiming()
            progress("raw 10-row inserts")
            let raw10 = try await RawCases.tenRowInserts(database, for: perCase)
            results.append(raw10)
            progress("import: its floor (the same batches, built ahead), then the importer")
            let floor = try await FloorCases.importBatches(database, for: perCase)
            let imported = try await WorkflowCases.importSeeds(database, for: perCase)
            results += [floor, compared(imported, with: raw10, floor: floor)]
        }
        if wants(.replay) {
            // A database of its own, so that replay rebuilds the generated events and nothing the
            // cases before wrote (the import case alone leaves tens of thousands of long articles).
            let replayDatabase = try await BenchDatabase.create(purpose: "replay")
            progress("database \(replayDatabase.name): generating \(replayCount) events for replay")
            try await WorkflowCases.generateEvents(replayDatabase, count: replayCount)
            try await settle(replayDatabase, vacuum: true)
            progress("raw COPY read of the events table")
            let copy = try await RawCases.copyRead(replayDatabase)
            results.append(copy)
            let events = try await eventCount(replayDatabase)
            progress("replay")
            let replay = try await WorkflowCases.replay(replayDatabase, events: events)
            // Its floor loads the rows the replay just wrote.
            try await settle(replayDatabase, vacuum: false)
            progress("replay's floor: reading the events, loading its rows, building the indexes")
            let floor = try await FloorCases.replay(replayDatabase)
            try await settle(replayDatabase, vacuum: false)
            progress("replay with one worker")
            let oneWorker = try await WorkflowCases.replay(replayDatabase, events: events, jobs: 1)
            results += [floor, compared(replay, with: copy, floor: floor), compared(oneWorker, with: copy, floor: floor)]
            try await replayDatabase.drop()
        }
        if wants(.http) {
            try await settleBeforeTiming()
            progress("HTTP at \(httpConnections) connections")
            results += try await HTTPCases.run(database, connections: httpConnections, for: perCase)
        }
        if wants(.desk) {
            // A database of its own, holding exactly the desk's articles (the import case leaves
            // tens of thousands more in the workflow database).
            let deskDatabase = try await BenchDatabase.create(purpose: "desk")
            progress("database \(deskDatabase.name): the desk at \(httpConnections) connections")
            results += try await DeskCases.run(
                deskDatabase, connections: httpConnections, for: perCase, progress: progress)
            try await deskDatabase.drop()
        }

        try await database.drop()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(["cases": results]), as: UTF8.self))
        } else {
            print(Self.table(results))
        }
    }

    /// `BenchDatabase.settle`, said on standard error.
    func settle(_ database: BenchDatabase, vacuum: Bool) async throws {
        progress(vacuum ? "vacuum, checkpoint, sync" : "checkpoint, sync")
        try await database.settle(vacuum: vacuum)
    }

    func eventCount(_ database: BenchDatabase) async throws -> Int {
        let connection = try await Connection.connect(to: database.ownerConninfo)
        defer { Task { await connection.close() } }
        return try await connection.perform { connection in try EventStore.summary(on: connection).events }
    }

    func progress(_ message: String) {
        FileHandle.standardError.write(Data("copydesk-bench: \(message)\n".utf8))
    }

    static func table(_ results: [CaseResult]) -> String {
        func number(_ value: Double?) -> String {
            guard let value else { return "-" }
            return value >= 100 ? String(Int(value.rounded())) : String(format: "%.2f", value)
        }
        func ratio(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "-" }
        let header = [
            "case", "value", "unit", "baseline (raw)", "ratio", "floor", "÷ floor", "p50 ms", "p99 ms", "peak RSS MB",
        ]
        let rows = results.map { result in
            [result.name, number(result.value), result.unit,
             result.baseline.map { "\(number($0)) \(result.baselineName ?? "")" } ?? "-", ratio(result.ratio),
             result.floor.map { "\(number($0)) \(result.floorName ?? "")" } ?? "-", ratio(result.floorRatio),
             number(result.p50_ms), number(result.p99_ms), number(result.peak_rss_mb)]
        }
        return alignedColumns([header] + rows)
    }
}

import EventStore
import Postgres
