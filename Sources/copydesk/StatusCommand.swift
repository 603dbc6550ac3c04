import ArgumentParser
import Copydesk
import EventStore
import Postgres

/// `copydesk status`: which database Copydesk uses and what it holds.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show which database Copydesk uses, its schema version and how many events it holds.")

    func run() async throws {
        let database = try await DatabaseConfiguration.fromEnvironment()
        let connection = try await database.ownerConnection()
        let server = try await connection.query(
            "SELECT current_database() AS database, current_setting('server_version') AS version"
        ).first!
        print("Database:   \(try server.decode("database", as: String.self)) (PostgreSQL \(try server.decode("version", as: String.self)))")
        let migrated = try await connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL").first!
        guard try migrated.decode(0, as: Bool.self) else {
            print("Schema:     not migrated yet; run `copydesk migrate`")
            throw ExitCode(ExitStatus.notMigrated)
        }
        let schema = try await connection.query(
            "SELECT max(version) AS version, count(*) AS applied FROM schema_migrations"
        ).first!
        print("Schema:     migration \(try schema.decodeIfPresent("version", as: Int.self) ?? 0) "
            + "(\(try schema.decode("applied", as: Int.self)) applied)")
        let store = try await connection.perform { connection in try EventStore.summary(on: connection) }
        print("Events:     \(store.events) in \(store.streams) streams"
            + (store.latest.map { ", latest at \(Output.timestamp($0, milliseconds: true))" } ?? ""))
    }
}
