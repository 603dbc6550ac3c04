import ArgumentParser
import Copydesk

/// `copydesk migrate`: brings the database schema up to date.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract:
            "Apply the numbered SQL migrations (built into copydesk from sql/) that the database does not have yet.")

    func run() async throws {
        let database = try await DatabaseConfiguration.fromEnvironment()
        let connection = try await database.ownerConnection()
        let outcome = try await Migrator().migrate(on: connection)
        if outcome.applied.isEmpty {
            print("Database is up to date (\(plural(outcome.alreadyApplied, "migration")) already applied); nothing to do.")
        } else {
            for migration in outcome.applied { print("Applied \(migration.fileName)") }
            print("Applied \(plural(outcome.applied.count, "migration")); \(outcome.alreadyApplied) already in place.")
        }
    }
}

/// "1 migration", "2 migrations".
func plural(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }
