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
        let quoted = try await connection.quoteIdentifier(name)
        try await connection.executeScript("DROP DATABASE IF EXISTS \(quoted)")
        try await connection.executeScript("CREATE DATABASE \(quoted)")
        await connection.close()
        let database = BenchDatabase(ownerConninfo: makeURL(name), name: name, maintenanceConninfo: maintenance)
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
