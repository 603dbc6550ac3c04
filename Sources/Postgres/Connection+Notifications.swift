internal import CLibPQ
import Foundation

/// A message sent with `NOTIFY` (or `pg_notify`) on a channel this connection listens to.
public struct PostgresNotification: Sendable, Equatable {
    public let channel: String
    public let payload: String

    public init(channel: String, payload: String) {
        self.channel = channel
        self.payload = payload
    }
}

extension Connection {
    /// Starts listening on `channel`; notifications are then returned by `waitForNotifications`.
    public func listen(_ channel: String) throws {
        try executeScript("LISTEN \(try quoteIdentifier(channel))")
    }

    /// Waits up to `timeout` for notifications and returns those that arrived (possibly none).
    ///
    /// Blocks this connection's own thread, not the caller. Throws `.connectionLost` when the
    /// server goes away while waiting.
    public func waitForNotifications(timeout: Duration) throws -> [PostgresNotification] {
        let connection = try liveHandle()
        var received = try drainNotifications(connection)
        guard received.isEmpty else { return received }
        let milliseconds = Int32(clamping: timeout.components.seconds * 1000
            + timeout.components.attoseconds / 1_000_000_000_000_000)
        var descriptor = pollfd(fd: PQsocket(connection), events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, milliseconds)
        if ready > 0 { received = try drainNotifications(connection) }
        return received
    }

    private func drainNotifications(_ connection: OpaquePointer) throws -> [PostgresNotification] {
        guard PQconsumeInput(connection) == 1, PQstatus(connection) == CONNECTION_OK else {
            throw lostConnection()
        }
        var received: [PostgresNotification] = []
        while let notice = PQnotifies(connection) {
            received.append(PostgresNotification(
                channel: String(cString: notice.pointee.relname),
                payload: String(cString: notice.pointee.extra)))
            PQfreemem(notice)
        }
        return received
    }
}
