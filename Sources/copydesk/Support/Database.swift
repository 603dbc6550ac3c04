import Copydesk
import LocalPostgres

extension DatabaseConfiguration {
    /// `COPYDESK_DATABASE_URL` when set; otherwise the private local cluster, which is created and
    /// started first. The executable decides this: the `Copydesk` library never starts a server.
    static func fromEnvironment() async throws -> DatabaseConfiguration {
        try await fromEnvironment(otherwise: {
            try RemoteConfiguration.refuseOperatorCommand()
            let cluster = LocalCluster.default
            try await cluster.start()
            return cluster.connectionURL()
        })
    }
}

extension CopydeskApp {
    /// The application on the database `DatabaseConfiguration.fromEnvironment()` chooses, after
    /// checking that its schema is up to date.
    static func fromEnvironment() async throws -> CopydeskApp {
        try await open(DatabaseConfiguration.fromEnvironment())
    }
}
