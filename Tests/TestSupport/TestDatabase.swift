import Copydesk
import Foundation
import LocalPostgres
import Postgres

/// A freshly created database on the test run's private PostgreSQL cluster.
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

    /// A database with every migration applied: a copy of the run's migrated template, which is
    /// much faster than migrating each one.
    public static func migrated() async throws -> TestDatabase {
        try await create(from: migratedTemplate.value)
    }

    /// An empty database (no migrations).
    public static func empty() async throws -> TestDatabase {
        try await create(from: nil)
    }

    /// This process's migrated template, created once, on first use; concurrent first uses wait
    /// for the same one.
    private static let migratedTemplate = Task<String, any Error> {
        let template = try await create(from: nil, name: "copydesk_template_\(getpid())")
        let owner = try await Connection.connect(to: template.ownerConninfo)
        do {
            _ = try await Migrator().migrate(on: owner)
        } catch {
            await owner.close()
            throw error
        }
        // CREATE DATABASE ... TEMPLATE refuses a template anyone is connected to.
        await owner.close()
        return template.name
    }

    private static func create(from template: String?, name: String? = nil) async throws -> TestDatabase {
        let cluster = try await TestCluster.shared.value
        let name = name ?? "copydesk_test_\(getpid())_\(UUID().uuidString.prefix(8).lowercased())"
        let maintenance = try await Connection.connect(to: cluster.connectionURL(database: "postgres"))
        do {
            // CREATE DATABASE takes no parameters: the names are quoted as identifiers.
            var statement = "CREATE DATABASE \(try await maintenance.quoteIdentifier(name))"
            if let template { statement += " TEMPLATE \(try await maintenance.quoteIdentifier(template))" }
            try await maintenance.executeScript(statement)
        } catch {
            await maintenance.close()
            throw error
        }
        await maintenance.close()
        return TestDatabase(name: name, ownerConninfo: cluster.connectionURL(database: name))
    }
}
