import EventStore
import Foundation
import Postgres

/// Everything the CLI and the HTTP server use, wired to one database: the one application layer.
public struct CopydeskApp: Sendable {
    public let pool: ConnectionPool
    public let store: EventStore
    public let commands: CommandService
    public let queries: ArticleQueries
    public let users: UserDirectory
    public let importer: SeedImporter

    /// The application on `pool`, its queries on `replica` when given (see `ReadSource`);
    /// commands happen at the times `now` returns (the system clock unless a test sets its own, so
    /// that no test waits for time to pass).
    public init(pool: ConnectionPool, replica: ReplicaPool? = nil, now: @escaping @Sendable () -> Date = { Date.now }) {
        self.pool = pool
        store = EventStore(pool: pool)
        commands = CommandService(store: store, now: now)
        queries = ArticleQueries(reads: ReadSource(primary: pool, replica: replica))
        users = UserDirectory(store: store, now: now)
        importer = SeedImporter(service: commands)
    }

    /// The application on `database`, after checking that its schema is up to date.
    public static func open(_ database: DatabaseConfiguration) async throws -> CopydeskApp {
        let owner = try await database.ownerConnection()
        try await Migrator().requireUpToDate(on: owner)
        await owner.close()
        return CopydeskApp(pool: database.servicePool(), replica: database.replicaPool())
    }
}
