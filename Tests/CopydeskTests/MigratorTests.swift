import Copydesk
import Foundation
import Postgres
import TestSupport
import Testing

@Suite("Migrations")
struct MigratorTests {
    @Test("migrating twice applies everything once, then nothing")
    func idempotent() async throws {
        let database = try await TestDatabase.empty()
        let owner = try await Connection.connect(to: database.ownerConninfo)
        let first = try await Migrator().migrate(on: owner)
        #expect(first.applied.map(\.fileName) == (try Migrator().migrations().map(\.fileName)))
        #expect(first.applied.first?.fileName == "001_event_store.sql")
        let second = try await Migrator().migrate(on: owner)
        #expect(second.applied.isEmpty)
        #expect(second.alreadyApplied == first.applied.count)
        let recorded = try await owner.query("SELECT count(*)::int FROM schema_migrations").first?.decode(0, as: Int.self)
        #expect(recorded == first.applied.count)
    }

    @Test("the binary carries every file of sql/, byte for byte")
    func embeddedMatchesTheCheckout() throws {
        // This file is Tests/CopydeskTests/MigratorTests.swift: the checkout's sql/ is three levels up.
        let checkout = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let embedded = try Migrator().migrations()
        let files = try Migrator(directory: checkout.appendingPathComponent("sql")).migrations()
        #expect(embedded.map(\.fileName) == files.map(\.fileName))
        for (built, file) in zip(embedded, files) {
            #expect(Array(built.sql.utf8) == Array(file.sql.utf8), "\(file.fileName) differs from the built-in copy")
        }
        #expect(embedded.count >= 11)
    }

    @Test("checksums are PostgreSQL's md5 of each shipped migration, so databases migrated before still match")
    func checksumsMatchPostgres() async throws {
        let database = try await TestDatabase.empty()
        let owner = try await Connection.connect(to: database.ownerConninfo)
        for migration in try Migrator().migrations() {
            let postgres = try await owner.query("SELECT md5($1)", [migration.sql]).first?.decode(0, as: String.self)
            #expect(migration.checksum == postgres, "\(migration.fileName)")
        }
        await owner.close()
    }

    @Test("migrations apply in numeric order; a failing one is rolled back whole and names its file")
    func orderAndRollback() async throws {
        let directory = try temporaryMigrations([
            "2_second.sql": "INSERT INTO trail VALUES ('second');",
            "10_broken.sql": "INSERT INTO trail VALUES ('tenth'); CREATE TABLE trail (oops int);",
            "1_first.sql": "CREATE TABLE trail (step text); INSERT INTO trail VALUES ('first');",
        ])
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try await TestDatabase.empty()
        let owner = try await Connection.connect(to: database.ownerConninfo)
        let error = await #expect(throws: MigrationError.self) {
            try await Migrator(directory: directory).migrate(on: owner)
        }
        #expect(error?.description.contains("10_broken.sql") == true)
        let trail = try await owner.query("SELECT step FROM trail").rows.map { try $0.decode(0, as: String.self) }
        #expect(trail == ["first", "second"])
        let versions = try await owner.query("SELECT version FROM schema_migrations ORDER BY version").rows
            .map { try $0.decode(0, as: Int.self) }
        #expect(versions == [1, 2])
    }

    @Test("a migration edited after it was applied is reported, not silently skipped")
    func changedMigration() async throws {
        let directory = try temporaryMigrations(["1_first.sql": "CREATE TABLE one (id int);"])
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try await TestDatabase.empty()
        let owner = try await Connection.connect(to: database.ownerConninfo)
        _ = try await Migrator(directory: directory).migrate(on: owner)
        try "CREATE TABLE one (id bigint);".write(
            to: directory.appendingPathComponent("1_first.sql"), atomically: true, encoding: .utf8)
        let error = await #expect(throws: MigrationError.self) {
            try await Migrator(directory: directory).migrate(on: owner)
        }
        #expect(error?.description.contains("changed after it was applied") == true)
    }

    @Test("badly named migration files are refused")
    func badNames() throws {
        let directory = try temporaryMigrations(["first.sql": "SELECT 1;"])
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(throws: MigrationError.self) { try Migrator(directory: directory).migrations() }
        let clash = try temporaryMigrations(["1_a.sql": "SELECT 1;", "001_b.sql": "SELECT 1;"])
        defer { try? FileManager.default.removeItem(at: clash) }
        #expect(throws: MigrationError.self) { try Migrator(directory: clash).migrations() }
    }

    private func temporaryMigrations(_ files: [String: String]) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("migrations-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (name, sql) in files {
            try sql.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return directory
    }
}
