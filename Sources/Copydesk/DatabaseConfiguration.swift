import Foundation
import Postgres

/// Which PostgreSQL Copydesk uses and how it connects.
///
/// `COPYDESK_DATABASE_URL` (a libpq conninfo or URI) when set; otherwise whatever the executable
/// chooses (the `copydesk` tool starts its private local cluster). This library never starts a
/// server itself.
public struct DatabaseConfiguration: Sendable {
    /// The libpq conninfo of the owner: migrations run as this user.
    public var conninfo: String
    /// Upper bound on pooled connections (`COPYDESK_POOL_SIZE`, default 8).
    public var poolSize: Int
    /// A streaming replica of the same database for queries (`COPYDESK_READ_DATABASE_URL`), if any;
    /// commands, sessions, tokens and the feed always use `conninfo`.
    public var readConninfo: String?

    /// The role the service's SQL runs as: INSERT and SELECT on events, nothing more.
    public static let serviceRole = "copydesk_service"

    public init(conninfo: String, poolSize: Int = 8, readConninfo: String? = nil) {
        self.conninfo = conninfo
        self.poolSize = poolSize
        self.readConninfo = readConninfo
    }

    /// Reads `COPYDESK_DATABASE_URL`, `COPYDESK_POOL_SIZE` and `COPYDESK_READ_DATABASE_URL`; when no
    /// database URL is set, `localDatabase` supplies the conninfo (and may start a server to get it).
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment,
        otherwise localDatabase: () async throws -> String
    ) async throws -> DatabaseConfiguration {
        let poolSize = environment["COPYDESK_POOL_SIZE"].flatMap(Int.init) ?? 8
        let readURL = environment["COPYDESK_READ_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
        if let url = environment["COPYDESK_DATABASE_URL"], !url.isEmpty {
            return DatabaseConfiguration(conninfo: url, poolSize: poolSize, readConninfo: readURL)
        }
        return DatabaseConfiguration(conninfo: try await localDatabase(), poolSize: poolSize, readConninfo: readURL)
    }

    /// A pool whose connections run as the restricted service role.
    public func servicePool() -> ConnectionPool {
        ConnectionPool(.init(conninfo: conninfo, maximumConnections: poolSize, setupScript: "SET ROLE \(Self.serviceRole)"))
    }

    /// A pool on the streaming replica, as the service role (replicated from the primary), if one is configured.
    public func replicaPool() -> ReplicaPool? {
        readConninfo.map { conninfo in
            ReplicaPool(pool: ConnectionPool(.init(
                conninfo: conninfo, maximumConnections: poolSize, setupScript: "SET ROLE \(Self.serviceRole)")))
        }
    }

    /// A connection as the owner, for migrations and administration.
    public func ownerConnection() async throws -> Connection {
        try await Connection.connect(to: conninfo)
    }
}
