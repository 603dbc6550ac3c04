import Copydesk
import Logging
import Postgres
import ServiceLifecycle

/// Listens for changes to users made anywhere (`UserDirectory.changeChannel`, sent after each
/// change commits) and reports them to this node's `UserChanges`, so revocation reaches every
/// node sharing the database within moments; the token cache's lifetime is the fallback.
struct UserChangeListener: Service {
    let pool: ConnectionPool
    let changes: UserChanges
    let logger: Logger
    /// How long one wait for notifications lasts before checking for shutdown.
    var wait: Duration = .milliseconds(500)

    func run() async throws {
        var connection: Connection?
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                if connection == nil {
                    let opened = try await pool.openDedicatedConnection()
                    try await opened.listen(UserDirectory.changeChannel)
                    connection = opened
                    // Whatever changed while nobody listened is unknown: start afresh.
                    changes.everythingMayHaveChanged()
                }
                for notification in try await connection!.waitForNotifications(timeout: wait) {
                    changes.userChanged(notification.payload)
                }
            } catch {
                if connection != nil {
                    logger.warning("lost the connection that listens for user changes; reconnecting: \(error)")
                }
                await connection?.close()
                connection = nil
                changes.everythingMayHaveChanged()
                try? await Task.sleep(for: .seconds(1))
            }
        }
        await connection?.close()
    }
}
