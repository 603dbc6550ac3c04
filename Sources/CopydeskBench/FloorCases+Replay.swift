import Copydesk
import EventStore
import Foundation
import Postgres

extension FloorCases {
    /// Events replay reads per page (and per worker), from a rebuild as `copydesk replay` makes it.
    static let replayPageSize = ProjectionRebuild(conninfo: "").pageSize
    /// Rows per COPY when loading a table: about what replay writes per page.
    static let rowsPerCopy = replayPageSize

    /// "replay_floor": PostgreSQL's own share of a replay of the events in `database`, which a
    /// replay has just rebuilt: reading every event as replay reads them (its cursor, in as many
    /// shares as replay's default workers), while loading the rows replay wrote
    /// into new shadow tables (made by Copydesk's `ShadowTables`, so with the same triggers and
    /// search vectors) by COPY, and then building their indexes side by side, as replay does.
    /// As events/s: the events over the seconds all that took.
    ///
    /// The rows are captured first, untimed, from the live tables into files under /tmp (a
    /// million events' rows do not belong in memory), and the files removed at the end.
    static func replay(_ database: BenchDatabase) async throws -> CaseResult {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("copydesk-bench-replay-floor-\(getpid())")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        let owner = try await Connection.connect(to: database.ownerConninfo)
        defer { Task { await owner.close() } }
        let events = try await owner.perform { connection in try EventStore.summary(on: connection).events }
        var loads: [(file: URL, sql: String)] = []
        for ((live, columns), (shadow, _)) in zip(ProjectionTables.live.written, ShadowTables.tables.written) {
            let file = folder.appendingPathComponent(live)
            let rows = try await owner.perform { connection in
                try capture("COPY (SELECT \(columns) FROM \(live)) TO STDOUT", into: file, on: connection)
            }
            if rows > 0 { loads.append((file, "COPY \(shadow) (\(columns)) FROM STDIN")) }
        }
        try await owner.perform { connection in
            try ShadowTables.drop(on: connection)
            try ShadowTables.create(on: connection)
        }

        let jobs = ProjectionRebuild.defaultJobs(events: events)
        let clock = ContinuousClock()
        let started = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for share in 0..<jobs {
                group.addTask {
                    let connection = try await Connection.connect(to: database.ownerConninfo)
                    defer { Task { await connection.close() } }
                    try await connection.perform { connection in try Self.readEvents(share: share, of: jobs, on: connection) }
                }
            }
            for load in loads {
                group.addTask {
                    let connection = try await Connection.connect(to: database.ownerConninfo)
                    defer { Task { await connection.close() } }
                    try await connection.transaction { connection in try Self.load(load.file, load.sql, on: connection) }
                }
            }
            try await group.waitForAll()
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (_, shadow) in ProjectionTables.live.paired(with: ShadowTables.tables) {
                group.addTask {
                    let connection = try await Connection.connect(to: database.ownerConninfo)
                    defer { Task { await connection.close() } }
                    try await connection.transaction { connection in try ShadowTables.finish(shadow, on: connection) }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = seconds(clock.now - started)
        try await owner.perform { connection in try ShadowTables.drop(on: connection) }
        return CaseResult(
            name: "replay_floor", value: Double(events) / elapsed, unit: "events/s", p50_ms: nil, p99_ms: nil,
            peak_rss_mb: nil)
    }

    /// Reads one share of the events through replay's own cursor, a page at a time as replay
    /// does (the planner picks a plan for a cursor that a plain query would not), into nothing.
    private static func readEvents(share: Int, of shares: Int, on connection: isolated Connection) throws {
        try connection.executeScript("BEGIN ISOLATION LEVEL REPEATABLE READ")
        try EventStore.declareStreamOrderCursor("replay_floor", share: share, of: shares, on: connection)
        while try connection.query("FETCH \(replayPageSize) FROM replay_floor").rows.count > 0 {}
        try connection.executeScript("ROLLBACK")
    }

    /// Writes what a `COPY ... TO STDOUT` returns into `file`; returns the rows.
    private static func capture(_ sql: String, into file: URL, on connection: isolated Connection) throws -> Int {
        FileManager.default.createFile(atPath: file.path, contents: nil)
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        var buffer: [UInt8] = []
        let rows = try connection.copyOut(sql) { row in
            buffer.append(contentsOf: row)
            if buffer.count >= 4 << 20 {
                handle.write(Data(buffer))
                buffer.removeAll(keepingCapacity: true)
            }
        }
        handle.write(Data(buffer))
        return rows
    }

    /// Loads the COPY text in `file` with `sql`, `rowsPerCopy` rows per COPY.
    private static func load(_ file: URL, _ sql: String, on connection: isolated Connection) throws {
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        var pending: [UInt8] = []
        var rows = 0
        var rowsEnd = 0  // where the last whole row in `pending` ends
        func send(upTo end: Int) throws {
            try connection.copyIn(sql, CopyRows(copyText: Array(pending[..<end])))
            pending.removeFirst(end)
            rows = 0
            rowsEnd = 0
        }
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            var index = pending.count
            pending.append(contentsOf: chunk)
            while index < pending.count {
                if pending[index] == UInt8(ascii: "\n") {
                    rows += 1
                    rowsEnd = index + 1
                    if rows == rowsPerCopy {
                        try send(upTo: rowsEnd)
                        index = 0
                        continue
                    }
                }
                index += 1
            }
        }
        if !pending.isEmpty { try send(upTo: pending.count) }
    }
}
