import Foundation
import Postgres

/// A private PostgreSQL cluster that Copydesk creates and starts by itself.
///
/// The cluster listens only on a Unix socket inside its own data directory (no TCP), so it never
/// collides with other PostgreSQL servers on the machine, and it trusts local connections: it is
/// for development and tests, not for production data. When Copydesk runs as root, the server
/// runs as the unprivileged user `postgres`, because PostgreSQL refuses to run as root.
public struct LocalCluster: Sendable {
    /// PGDATA; also the socket directory.
    public let dataDirectory: URL
    /// Where `COPYDESK_PG_BIN` and `PATH` are read from; tests inject their own.
    let environment: [String: String]
    /// Where Debian and Ubuntu install server versions (`<root>/<version>/bin`).
    let installRoot: URL

    /// The bootstrap superuser created by initdb.
    static let superuser = "postgres"
    /// The database `start()` creates for Copydesk.
    static let database = "copydesk"
    /// The port only names the socket file (`.s.PGSQL.5432`): nothing listens on TCP.
    static let port = 5432
    /// `sun_path` holds 108 bytes including the terminating NUL.
    static let maximumSocketPathLength = 107

    /// Creates a handle on the cluster in `dataDirectory`; nothing happens on disk until `start()`.
    /// Connections the server accepts at once (`max_connections`).
    public var maximumConnections = 200

    public init(dataDirectory: URL) {
        self.init(dataDirectory: dataDirectory, environment: ProcessInfo.processInfo.environment)
    }

    init(
        dataDirectory: URL,
        environment: [String: String],
        installRoot: URL = URL(fileURLWithPath: "/usr/lib/postgresql", isDirectory: true)
    ) {
        self.dataDirectory = dataDirectory.standardizedFileURL
        self.environment = environment
        self.installRoot = installRoot
    }

    /// Where the cluster lives unless told otherwise: `COPYDESK_DATA_DIR` when set; else
    /// `.copydesk/postgres` in the checkout this binary was built from, while that checkout exists
    /// (the way Copydesk is developed and tried out); else, for a binary without its checkout,
    /// `/var/lib/copydesk/postgres` for root (user postgres can reach it, unlike /root) and
    /// `$XDG_DATA_HOME/copydesk/postgres` (default `~/.local/share/copydesk/postgres`) for others.
    public static var defaultDataDirectory: URL {
        defaultDataDirectory(environment: ProcessInfo.processInfo.environment, checkout: checkout)
    }

    static func defaultDataDirectory(environment: [String: String], checkout: URL?) -> URL {
        if let directory = environment["COPYDESK_DATA_DIR"], !directory.isEmpty {
            return URL(fileURLWithPath: directory, isDirectory: true).standardizedFileURL
        }
        if let checkout {
            return checkout.appendingPathComponent(".copydesk/postgres", isDirectory: true)
        }
        if geteuid() == 0 {
            return URL(fileURLWithPath: "/var/lib/copydesk/postgres", isDirectory: true)
        }
        let dataHome = environment["XDG_DATA_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/share"
        return URL(fileURLWithPath: dataHome, isDirectory: true)
            .appendingPathComponent("copydesk/postgres", isDirectory: true).standardizedFileURL
    }

    /// The checkout this binary was built from, if it is still there.
    static var checkout: URL? {
        // This file is Sources/LocalPostgres/LocalCluster.swift: the checkout is three levels up.
        let root = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) ? root : nil
    }

    /// The cluster in `defaultDataDirectory`.
    public static var `default`: LocalCluster { LocalCluster(dataDirectory: defaultDataDirectory) }

    /// libpq conninfo for `database` on this cluster as its bootstrap superuser `postgres`,
    /// as a URI like postgresql:///copydesk?host=/abs/dir&user=postgres.
    public func connectionURL(database: String = "copydesk") -> String {
        let name = Self.percentEncoded(database, keeping: "")
        let host = Self.percentEncoded(dataDirectory.path, keeping: "/")
        return "postgresql:///\(name)?host=\(host)&user=\(Self.superuser)"
    }

    /// Creates the cluster the first time, starts it if it is not running, waits until it accepts
    /// connections, and creates database `copydesk` if missing. Idempotent.
    public func start() async throws {
        try await startServer()
        try await createDatabaseIfMissing(Self.database)
    }

    /// How `stop` shuts the server down, as `pg_ctl stop -m`.
    public enum ShutdownMode: Sendable {
        /// Rolls back open transactions, disconnects every client and writes a checkpoint.
        case fast
        /// Exits at once without a checkpoint, leaving recovery to the next start: only for a
        /// cluster about to be removed, whose data nobody will read again.
        case immediate
    }

    /// Stops the server and waits until it has exited; does nothing when it is not running.
    ///
    /// This is what `pg_ctl stop` does: a signal to the postmaster (SIGINT for a fast shutdown,
    /// SIGQUIT for an immediate one), then waiting for it to go. Signalling it directly needs no
    /// program run as its user, so stopping never suspends: a test can stop its server in
    /// `defer`, or while its process exits.
    public func stop(_ mode: ShutdownMode = .fast) throws {
        guard let pid = try status().pid else { return }
        // Root may signal the server's user's processes; anyone else runs the server as themselves.
        guard kill(pid_t(pid), mode == .fast ? SIGINT : SIGQUIT) == 0 || errno == ESRCH else {
            throw LocalClusterError(
                "cannot stop PostgreSQL (pid \(pid)) in \(dataDirectory.path): \(String(cString: strerror(errno)))")
        }
        let deadline = Date().addingTimeInterval(60)
        while try status().isRunning {
            guard Date() < deadline else {
                throw LocalClusterError(
                    "PostgreSQL (pid \(pid)) in \(dataDirectory.path) did not stop within 60 seconds; "
                        + "last lines of its log:\n" + Self.tail(of: file("server.log").path, lines: 20))
            }
            usleep(20_000)
        }
    }

    private func createDatabaseIfMissing(_ database: String) async throws {
        let connection = try await Connection.connect(to: connectionURL(database: "postgres"))
        do {
            let existing = try await connection.query("SELECT 1 FROM pg_database WHERE datname = $1", [database])
            if existing.rows.isEmpty {
                // CREATE DATABASE takes no parameters; the name is quoted as an identifier instead.
                let name = try await connection.quoteIdentifier(database)
                do {
                    try await connection.executeScript("CREATE DATABASE \(name)")
                } catch let error as PostgresError
                    where error.code == .duplicateDatabase || error.code == .uniqueViolation
                {
                    // Another process created it between our check and our CREATE: that is fine.
                    // (A CREATE racing another one fails on pg_database's unique index, 23505.)
                }
            }
        } catch {
            await connection.close()
            throw error
        }
        await connection.close()
    }

    private static func percentEncoded(_ value: String, keeping extra: String) -> String {
        var allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        allowed.insert(charactersIn: extra)
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}
