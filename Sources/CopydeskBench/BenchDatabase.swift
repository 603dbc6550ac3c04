import Copydesk
import Foundation
import LocalPostgres
import Postgres

/// A fresh, migrated database for one benchmark run: on `COPYDESK_DATABASE_URL`'s server when set
/// (it must allow CREATE DATABASE), else on a private cluster under /tmp.
struct BenchDatabase {
    let ownerConninfo: String
    let name: String
    /// The server's maintenance database, from which this one is dropped at the end.
    let maintenanceConninfo: String

    /// `purpose` names the database beside the process id: `copydesk_bench_<pid>_<purpose>`.
    static func create(purpose: String) async throws -> BenchDatabase {
        let maintenance: String
        let makeURL: @Sendable (String) -> String
        if let url = ProcessInfo.processInfo.environment["COPYDESK_DATABASE_URL"], !url.isEmpty {
            maintenance = url
            // A keyword/value conninfo takes a later dbname; a URI is rewritten by libpq's rules.
            makeURL = { url.contains("://") ? Self.replacingDatabase(in: url, with: $0) : "\(url) dbname=\($0)" }
        } else {
            let cluster = LocalCluster(dataDirectory: URL(fileURLWithPath: "/tmp/copydesk-bench-\(getuid())/postgres"))
            try await cluster.start()
            maintenance = cluster.connectionURL(database: "postgres")
            makeURL = { cluster.connectionURL(database: $0) }
        }
        let name = "copydesk_bench_\(getpid())_\(purpose)"
        let connection = try await Connection.connect(to: maintenance)
        try await dropLeftovers(on: connection)
        let quoted = try await connection.quoteIdentifier(name)
        try await connection.executeScript("DROP DATABASE IF EXISTS \(quoted)")
        let database = BenchDatabase(ownerConninfo: makeURL(name), name: name, maintenanceConninfo: maintenance)
        BenchCleanup.shared.made(database)
        try await connection.executeScript("CREATE DATABASE \(quoted)")
        await connection.close()
        let owner = try await Connection.connect(to: database.ownerConninfo)
        _ = try await Migrator().migrate(on: owner)
        // The raw baseline writes into a table shaped like events, without the triggers.
        try await owner.executeScript(
            """
            CREATE TABLE raw_events (LIKE events INCLUDING DEFAULTS INCLUDING IDENTITY);
            ALTER TABLE raw_events ADD PRIMARY KEY (global_position);
            ALTER TABLE raw_events ADD UNIQUE (stream_id, stream_version);
            """)
        await owner.close()
        return database
    }

    /// Drops the benchmark's database (a full run leaves over a gigabyte of events in it).
    func drop() async throws {
        let connection = try await Connection.connect(to: maintenanceConninfo)
        let quoted = try await connection.quoteIdentifier(name)
        try await connection.executeScript("DROP DATABASE IF EXISTS \(quoted) WITH (FORCE)")
        await connection.close()
        BenchCleanup.shared.dropped(self)
    }

    /// Drops the databases of earlier runs whose process is gone (killed before it could clean
    /// up): the disk is shared, and a history run leaves gigabytes.
    static func dropLeftovers(on connection: Connection) async throws {
        let names = try await connection.query(
            "SELECT datname FROM pg_database WHERE datname ~ '^copydesk_bench_[0-9]+_'"
        ).rows.map { try $0.decode(0, as: String.self) }
        for name in names {
            guard let pid = Int32(name.split(separator: "_")[2]), pid != getpid(), !isRunning(pid) else { continue }
            let quoted = try await connection.quoteIdentifier(name)
            try await connection.executeScript("DROP DATABASE IF EXISTS \(quoted) WITH (FORCE)")
            FileHandle.standardError.write(Data("copydesk-bench: dropped \(name), left by an earlier run\n".utf8))
        }
    }

    /// Lets the machine finish the work earlier cases (or runs) left it before the next case is
    /// timed: vacuum (which autovacuum would otherwise start during it, after a million-event
    /// replay or a generated history, whose hint bits and statistics it also sets), a checkpoint
    /// (needs superuser or pg_checkpoint; skipped when not allowed), and the file system's pending
    /// writes (a dropped database leaves gigabytes of them, and every commit of the next case
    /// would wait behind them).
    ///
    /// Not the vacuum on a fresh database: statistics of empty tables make every connection plan
    /// its lookups as sequential scans, which it keeps while the tables grow during the case.
    func settle(vacuum: Bool) async throws {
        let connection = try await Connection.connect(to: ownerConninfo)
        if vacuum { try await connection.executeScript("VACUUM (ANALYZE)") }
        try? await connection.executeScript("CHECKPOINT")
        await connection.close()
        sync()
    }

    /// Whether process `pid` is alive: a killed process nobody has reaped yet (a zombie) is not.
    static func isRunning(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 || errno != ESRCH else { return false }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        return !stat.contains(") Z ")
    }

    /// Free bytes on the file system holding the server's data directory.
    func freeDiskBytes() async throws -> Int64 {
        let connection = try await Connection.connect(to: maintenanceConninfo)
        defer { Task { await connection.close() } }
        // Readable by superusers (and pg_read_all_settings members), as the benchmark's owner is.
        let directory: String = try await connection.query("SHOW data_directory").first!.decode(0)
        var stats = statvfs()
        guard statvfs(directory, &stats) == 0 else {
            throw BenchError("cannot read the free space of \(directory) (the server's data directory)")
        }
        return Int64(stats.f_bavail) * Int64(stats.f_frsize)
    }

    /// Bytes the database takes on disk.
    func sizeBytes() async throws -> Int64 {
        let connection = try await Connection.connect(to: ownerConninfo)
        defer { Task { await connection.close() } }
        return try await connection.query("SELECT pg_database_size(current_database())").first!.decode(0)
    }

    static func replacingDatabase(in uri: String, with name: String) -> String {
        guard var components = URLComponents(string: uri) else { return uri }
        components.path = "/" + name
        return components.string ?? uri
    }

    func pool(size: Int, serviceRole: Bool = true) -> ConnectionPool {
        ConnectionPool(.init(
            conninfo: ownerConninfo, maximumConnections: size,
            setupScript: serviceRole ? "SET ROLE copydesk_service" : nil))
    }
}

/// The databases this run made and has not dropped yet, dropped on SIGINT, SIGTERM or SIGHUP
/// before the process exits: an interrupted history run must not leave gigabytes behind.
final class BenchCleanup: @unchecked Sendable {
    static let shared = BenchCleanup()
    private let lock = NSLock()
    private var databases: [String: BenchDatabase] = [:]
    private var sources: [any DispatchSourceSignal] = []

    func made(_ database: BenchDatabase) {
        lock.withLock { databases[database.name] = database }
    }

    func dropped(_ database: BenchDatabase) {
        _ = lock.withLock { databases.removeValue(forKey: database.name) }
    }

    /// Drops every database not dropped yet: after a run that failed.
    func dropAll() async {
        let left = lock.withLock { Array(databases.values) }
        for database in left { try? await database.drop() }
    }

    /// Catches the signals that end a run, from now on.
    func install() {
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [self] in
                FileHandle.standardError.write(Data("copydesk-bench: interrupted; dropping its databases\n".utf8))
                let done = DispatchSemaphore(value: 0)
                Task {
                    await dropAll()
                    done.signal()
                }
                done.wait()
                exit(128 + signalNumber)
            }
            source.resume()
            sources.append(source)
        }
    }
}
