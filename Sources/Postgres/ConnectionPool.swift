/// A bounded set of connections shared by concurrent tasks.
///
/// Connections are opened on demand up to `maximumConnections`; a task that finds them all busy
/// waits for one. A connection that broke (server restart, terminated backend) is dropped when it
/// comes back or is found dead on checkout, and a fresh one is opened in its place, so the pool
/// recovers by itself once PostgreSQL is reachable again.
public actor ConnectionPool {
    /// How to open connections and how many to keep.
    public struct Configuration: Sendable {
        /// libpq conninfo string or URI.
        public var conninfo: String
        /// Upper bound on open connections.
        public var maximumConnections: Int
        /// SQL run once on every new connection (for example `SET ROLE copydesk_service`).
        public var setupScript: String?

        public init(conninfo: String, maximumConnections: Int = 8, setupScript: String? = nil) {
            self.conninfo = conninfo
            self.maximumConnections = max(1, maximumConnections)
            self.setupScript = setupScript
        }
    }

    /// A snapshot of the pool's use, for metrics and tests.
    public struct Usage: Sendable, Equatable {
        public let open: Int
        public let idle: Int
        public let waiting: Int
    }

    public nonisolated let configuration: Configuration
    private var idle: [Connection] = []
    private var openCount = 0
    /// Tasks waiting for a connection; resumed with one, or with nil meaning "open a new one".
    private var waiters: [CheckedContinuation<Connection?, Never>] = []
    private var isShutDown = false

    public init(_ configuration: Configuration) {
        self.configuration = configuration
    }

    public var usage: Usage { Usage(open: openCount, idle: idle.count, waiting: waiters.count) }

    /// Lends a connection to `body` and takes it back afterwards, even when `body` throws.
    public func withConnection<T: Sendable>(_ body: (Connection) async throws -> T) async throws -> T {
        let connection = try await checkOut()
        do {
            let value = try await body(connection)
            await checkIn(connection)
            return value
        } catch {
            await checkIn(connection)
            throw error
        }
    }

    /// Runs `body` in a transaction on a pooled connection.
    public func transaction<T: Sendable>(
        _ body: @Sendable (isolated Connection) async throws -> T
    ) async throws -> T {
        try await withConnection { connection in try await connection.transaction(body) }
    }

    /// Opens a connection outside the pool with the pool's settings (for LISTEN, which must not be shared).
    public nonisolated func openDedicatedConnection() async throws -> Connection {
        let connection = try await Connection.connect(to: configuration.conninfo)
        if let setup = configuration.setupScript { try await connection.executeScript(setup) }
        return connection
    }

    /// Closes idle connections and refuses new checkouts.
    public func shutdown() async {
        isShutDown = true
        let closing = idle
        idle.removeAll()
        openCount -= closing.count
        for connection in closing { await connection.close() }
    }

    private func checkOut() async throws -> Connection {
        while true {
            guard !isShutDown else {
                throw PostgresError(kind: .connectionFailed, message: "the connection pool is shut down")
            }
            if let connection = idle.popLast() {
                if connection.isUsable() { return connection }
                openCount -= 1
                await connection.close()
                continue
            }
            if openCount < configuration.maximumConnections {
                return try await openNew()
            }
            let handedOver = await withCheckedContinuation { waiters.append($0) }
            if let handedOver { return handedOver }
            // nil: a slot was freed for us; loop and open (or reuse) a connection.
        }
    }

    private func openNew() async throws -> Connection {
        openCount += 1
        do {
            return try await openDedicatedConnection()
        } catch {
            openCount -= 1
            wakeWaiterToOpen()
            throw error
        }
    }

    private func checkIn(_ connection: Connection) async {
        guard !isShutDown, connection.isUsable() else {
            openCount -= 1
            await connection.close()
            wakeWaiterToOpen()
            return
        }
        if waiters.isEmpty {
            idle.append(connection)
        } else {
            waiters.removeFirst().resume(returning: connection)
        }
    }

    private func wakeWaiterToOpen() {
        if !waiters.isEmpty { waiters.removeFirst().resume(returning: nil) }
    }
}
