import Copydesk
import Foundation
import LocalPostgres
import Postgres

/// A freshly created and migrated database on the test run's private PostgreSQL cluster.
///
/// Swift Testing runs suites in parallel, so every suite (or test) that touches storage takes its
/// own database and cannot see another's events.
public struct TestDatabase: Sendable {
    /// The database's name, unique in the cluster.
    public let name: String
    /// Owner (superuser) conninfo: migrations, administration, the "owner" side of privilege tests.
    public let ownerConninfo: String

    /// The configuration Copydesk itself would use for this database.
    public var configuration: DatabaseConfiguration { DatabaseConfiguration(conninfo: ownerConninfo, poolSize: 8) }

    /// A pool running as the restricted service role, like the service.
    public func servicePool(maximumConnections: Int = 8) -> ConnectionPool {
        ConnectionPool(.init(
            conninfo: ownerConninfo, maximumConnections: maximumConnections,
            setupScript: "SET ROLE \(DatabaseConfiguration.serviceRole)"))
    }

    /// Creates an empty database and applies every migration to it.
    public static func migrated() async throws -> TestDatabase {
        let database = try await empty()
        let owner = try await Connection.connect(to: database.ownerConninfo)
        _ = try await Migrator().migrate(on: owner)
        await owner.close()
        return database
    }

    /// Creates an empty database (no migrations).
    public static func empty() async throws -> TestDatabase {
        let cluster = try await TestCluster.shared.value
        let name = "copydesk_test_\(getpid())_\(UUID().uuidString.prefix(8).lowercased())"
        let maintenance = try await Connection.connect(to: cluster.connectionURL(database: "postgres"))
        try await maintenance.executeScript("CREATE DATABASE \(try await maintenance.quoteIdentifier(name))")
        await maintenance.close()
        return TestDatabase(name: name, ownerConninfo: cluster.connectionURL(database: name))
    }
}

/// The private cluster shared by one test run: started once, on first use.
public enum TestCluster {
    /// `COPYDESK_TEST_DATA_DIR`, else a directory under the system's temporary directory.
    public static var dataDirectory: URL {
        if let directory = ProcessInfo.processInfo.environment["COPYDESK_TEST_DATA_DIR"], !directory.isEmpty {
            return URL(fileURLWithPath: directory, isDirectory: true)
        }
        return URL(fileURLWithPath: "/tmp/copydesk-tests-\(getuid())/postgres", isDirectory: true)
    }

    public static let shared = Task<LocalCluster, any Error> {
        let cluster = LocalCluster(dataDirectory: dataDirectory)
        try await cluster.start()
        try await dropDatabasesOfFinishedRuns(cluster)
        return cluster
    }

    /// Databases left by earlier test processes that have exited; keeps repeated local runs tidy.
    private static func dropDatabasesOfFinishedRuns(_ cluster: LocalCluster) async throws {
        let maintenance = try await Connection.connect(to: cluster.connectionURL(database: "postgres"))
        let names = try await maintenance.query(
            "SELECT datname FROM pg_database WHERE datname LIKE 'copydesk\\_test\\_%'"
        ).rows.map { try $0.decode(0, as: String.self) }
        for name in names {
            let parts = name.split(separator: "_")
            guard parts.count >= 3, let pid = Int32(parts[2]), pid != getpid(), kill(pid, 0) != 0 else { continue }
            _ = try? await maintenance.executeScript("DROP DATABASE IF EXISTS \(try await maintenance.quoteIdentifier(name))")
        }
        await maintenance.close()
    }
}
