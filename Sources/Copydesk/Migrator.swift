import Crypto
import Foundation
import Postgres

/// One numbered SQL file from `sql/`, such as `001_event_store.sql`.
public struct Migration: Sendable, Hashable {
    public let version: Int
    public let fileName: String
    public let sql: String

    /// What `schema_migrations.checksum` records: the MD5 of the SQL's UTF-8 bytes in lowercase
    /// hex, byte for byte what PostgreSQL's `md5(text)` gave when it computed it.
    public var checksum: String {
        Insecure.MD5.hash(data: Array(sql.utf8)).lowercaseHex
    }
}

/// Applies the numbered SQL files of `sql/` in order, each in its own transaction, and records
/// them in `schema_migrations` so that running again applies only what is new.
///
/// The files are built into the binary (see the EmbeddedMigrations plugin in Package.swift), so an
/// installed `copydesk` needs no checkout beside it.
public struct Migrator: Sendable {
    /// Where the migrations are read from; nil for those built into this binary.
    public let directory: URL?

    /// The migrations built into this binary from `sql/`.
    public init() {
        directory = nil
    }

    /// The `.sql` files in `directory` instead of the built-in ones (tests use folders of their own).
    public init(directory: URL) {
        self.directory = directory
    }

    /// What a run did.
    public struct Outcome: Sendable {
        /// Migrations applied by this run, in order.
        public let applied: [Migration]
        /// Migrations that were already in place.
        public let alreadyApplied: Int
    }

    /// The migrations, ordered by number.
    public func migrations() throws -> [Migration] {
        guard let directory else { return try Self.numbered(embeddedMigrationFiles) }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw MigrationError.directoryUnreadable(directory.path)
        }
        let files = try names.filter { $0.hasSuffix(".sql") }.map { name in
            (name: name, sql: try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8))
        }
        return try Self.numbered(files)
    }

    /// The files as migrations ordered by the number their names start with, each number once.
    private static func numbered(_ files: [(name: String, sql: String)]) throws -> [Migration] {
        var migrations: [Migration] = []
        for (name, sql) in files {
            guard let version = Int(name.prefix { $0.isNumber }), name.first?.isNumber == true else {
                throw MigrationError.badFileName(name)
            }
            if let clash = migrations.first(where: { $0.version == version }) {
                throw MigrationError.duplicateVersion(version, clash.fileName, name)
            }
            migrations.append(Migration(version: version, fileName: name, sql: sql))
        }
        return migrations.sorted { $0.version < $1.version }
    }

    /// Applies every migration not yet recorded, holding an advisory lock so concurrent runs take turns.
    public func migrate(on connection: Connection) async throws -> Outcome {
        let migrations = try migrations()
        try await connection.query("SELECT pg_advisory_lock($1)", [Self.lockKey])
        do {
            let outcome = try await apply(migrations, on: connection)
            try await connection.query("SELECT pg_advisory_unlock($1)", [Self.lockKey])
            return outcome
        } catch {
            _ = try? await connection.query("SELECT pg_advisory_unlock($1)", [Self.lockKey])
            throw error
        }
    }

    /// Throws `notMigrated` unless every migration of `migrations()` has been applied to the database.
    public func requireUpToDate(on connection: Connection) async throws {
        let latest = try migrations().last?.version ?? 0
        var applied = 0
        let tracked = try await connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL").first?
            .decode(0, as: Bool.self) ?? false
        if tracked {
            applied = try await connection.query("SELECT coalesce(max(version), 0) FROM schema_migrations").first?
                .decode(0, as: Int.self) ?? 0
        }
        guard applied >= latest else { throw MigrationError.notMigrated(applied: applied, latest: latest) }
    }

    /// Arbitrary but fixed: identifies "a migration is running" among advisory locks.
    static let lockKey: Int64 = 0x636F_7079_6465_736B  // "copydesk"

    private func apply(_ migrations: [Migration], on connection: Connection) async throws -> Outcome {
        try await connection.executeScript(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    integer     PRIMARY KEY,
                file_name  text        NOT NULL,
                checksum   text        NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
        let recorded = try await connection.query("SELECT version, file_name, checksum FROM schema_migrations")
        var checksums: [Int: String] = [:]
        for row in recorded.rows { checksums[try row.decode("version")] = try row.decode("checksum") }

        var applied: [Migration] = []
        for migration in migrations {
            let checksum = migration.checksum
            if let recordedChecksum = checksums[migration.version] {
                guard recordedChecksum == checksum else { throw MigrationError.changedAfterApplying(migration.fileName) }
                continue
            }
            do {
                try await connection.transaction { connection in
                    try connection.executeScript(migration.sql)
                    try connection.query(
                        "INSERT INTO schema_migrations (version, file_name, checksum) VALUES ($1, $2, $3)",
                        [migration.version, migration.fileName, checksum])
                }
            } catch let error as PostgresError where error.kind == .server {
                throw MigrationError.failed(migration.fileName, error)
            }
            applied.append(migration)
        }
        return Outcome(applied: applied, alreadyApplied: migrations.count - applied.count)
    }
}

/// Why migrations could not be applied. Nothing from the failing migration was kept.
public enum MigrationError: Error, CustomStringConvertible {
    case directoryUnreadable(String)
    case badFileName(String)
    case duplicateVersion(Int, String, String)
    case changedAfterApplying(String)
    case failed(String, PostgresError)
    case notMigrated(applied: Int, latest: Int)

    public var description: String {
        switch self {
        case .directoryUnreadable(let path):
            "cannot read the migrations directory \(path)"
        case .badFileName(let name):
            "migration file \(name) must start with its number, like 001_name.sql"
        case .duplicateVersion(let version, let first, let second):
            "migrations \(first) and \(second) both have number \(version); renumber one of them"
        case .changedAfterApplying(let name):
            "migration \(name) was changed after it was applied; restore it and add a new migration instead"
        case .notMigrated(let applied, let latest):
            "the database schema is at migration \(applied) but this copydesk needs \(latest)"
        case .failed(let name, let error):
            "migration \(name) failed and was rolled back: \(error)"
                + (error.hint.map { " (\($0))" } ?? "")
        }
    }
}
