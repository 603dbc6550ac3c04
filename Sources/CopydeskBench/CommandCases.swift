import Copydesk
import Editorial
import Foundation
import LocalPostgres
import Postgres
import Synchronization

/// commands_N and its floor, commands_floor_N: the same edit/comment mix sent through the
/// command service, and sent as the very pipelines the service builds, precomputed.
///
/// The two are timed in alternating slices (floor, service, service, floor), each side
/// `duration` in all: a checkpoint, the tables growing or other work on the machine then weighs
/// on both alike instead of on whichever ran second, and their ratio stops swinging from run to
/// run with the floor alone.
enum CommandCases {
    static let slices = 4

    static func againstFloor(_ database: BenchDatabase, clients: Int, for duration: Duration) async throws
        -> (floor: CaseResult, commands: CaseResult)
    {
        let app = CopydeskApp(pool: database.pool(size: clients))
        let pool = app.commands.store.pool
        // Each side works on articles of its own; the floor's states and command numbers carry
        // over from one slice to the next.
        var floorArticles = try await WorkflowCases.draftArticles(app, count: clients)
        var floorNext = Array(repeating: 0, count: clients)
        let articles = try await WorkflowCases.draftArticles(app, count: clients).map(\.id)
        let commandsSent = Counters(clients)
        var floor = Side(name: "commands_floor_\(clients)")
        var commands = Side(name: "commands_\(clients)")
        var commandsPeak = 0.0
        let slice = duration / slices
        let plannedPerClient = max(1, Int(FloorCases.plannedCommandsPerSecond * seconds(slice)) / clients)
        for index in 0..<slices {
            let floorFirst = index % 4 == 0 || index % 4 == 3
            for runsFloor in floorFirst ? [true, false] : [false, true] {
                if runsFloor {
                    let planned = try FloorCases.planCommands(
                        app, on: floorArticles, from: floorNext, count: plannedPerClient)
                    let sent = Counters(clients)
                    try await floor.time(database, clients: clients, for: slice, available: { planned[$0].count }) {
                        client, _ in
                        let command = planned[client][sent.next(client)]
                        try await pool.withConnection { connection in
                            try await connection.perform { connection in
                                _ = try connection.run(command.opening)
                                _ = try connection.run(command.closing)
                            }
                        }
                    }
                    for client in 0..<clients where sent.value(client) > 0 {
                        floorArticles[client] = planned[client][sent.value(client) - 1].after
                        floorNext[client] += sent.value(client)
                    }
                } else {
                    // The service's own peak, without the floor's plan (given back by now).
                    FloorCases.forgetPeakMemory()
                    try await commands.time(database, clients: clients, for: slice) { client, _ in
                        let iteration = commandsSent.next(client)
                        _ = try await app.commands.handle(WorkflowCases.command(iteration, on: articles[client]))
                    }
                    commandsPeak = max(commandsPeak, peakResidentMegabytes())
                }
            }
        }
        return (try await floor.result(rss: nil), try await commands.result(rss: commandsPeak))
    }

    /// One side's slices: their operations and latencies, time and CPU, added up.
    private struct Side {
        let name: String
        let recorder = Recorder()
        var elapsed = 0.0
        var cpu = CPUSpent()

        init(name: String) { self.name = name }

        mutating func time(
            _ database: BenchDatabase, clients: Int, for duration: Duration,
            available: (@Sendable (Int) -> Int)? = nil,
            _ operation: @escaping @Sendable (_ client: Int, _ iteration: Int) async throws -> Void
        ) async throws {
            let before = try await CPUTime.now(database.ownerConninfo)
            let clock = ContinuousClock()
            let started = clock.now
            _ = try await measure(clients: clients, for: duration, available: available, into: recorder, operation)
            elapsed += seconds(clock.now - started)
            cpu += try await CPUTime.now(database.ownerConninfo).spent(since: before)
        }

        func result(rss: Double?) async throws -> CaseResult {
            let operations = Double(await recorder.operations)
            cpu.report(name, operations: operations, per: "command", counted: " in \(CommandCases.slices) slices")
            return CaseResult(
                name: name, value: operations / elapsed, unit: "commands/s", p50_ms: await recorder.percentile(0.5),
                p99_ms: await recorder.percentile(0.99), peak_rss_mb: rss)
        }
    }

    /// A count per client, each touched only by its own client's loop.
    private final class Counters: Sendable {
        private let counts: Mutex<[Int]>

        init(_ clients: Int) { counts = Mutex(Array(repeating: 0, count: clients)) }

        func value(_ client: Int) -> Int { counts.withLock { $0[client] } }

        /// The client's count, then one more.
        func next(_ client: Int) -> Int {
            counts.withLock { counts in
                defer { counts[client] += 1 }
                return counts[client]
            }
        }
    }
}
