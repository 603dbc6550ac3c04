/// A bounded set of connections shared by concurrent tasks.
///
/// Connections are opened on demand up to `maximumConnections`; a task that finds them all busy
/// waits for one. A connection that broke (server restart, terminated backend) is dropped when it
/// comes back or is found dead on checkout, and a fresh one is opened in its place, so the pool
/// recovers by itself once PostgreSQL is reachable again. A task cancelled while it waits stops
/// waiting at once with `CancellationError`.
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
    /// Tasks waiting for a connection, oldest first; resumed with one, with nil meaning "open a
    /// new one", or with `CancellationError` when their task is cancelled.
    private var waiters: [Waiter] = []
    private var nextWaiterId: UInt64 = 0
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
        } catch let error as PostgresError where error.isReadOnlyServer {
            // Its server is no longer a primary: a new connection finds the one that is.
            await discard(connection)
            throw error
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
            let handedOver = try await waitForTurn()
            if Task.isCancelled {
                // Cancelled while the hand-off was on its way: pass it on rather than lose it.
                if let handedOver { await checkIn(handedOver) } else { wakeWaiterToOpen() }
                throw CancellationError()
            }
            if let handedOver { return handedOver }
            // nil: a slot was freed for us; loop and open (or reuse) a connection.
        }
    }

    /// Queues the caller until a connection (or a free slot, nil) is handed to it.
    private func waitForTurn() async throws -> Connection? {
        let id = nextWaiterId
        nextWaiterId += 1
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                guard !Task.isCancelled else { return continuation.resume(throwing: CancellationError()) }
                waiters.append(Waiter(id: id, continuation: continuation))
            }
        } onCancel: {
            // Runs on the cancelling thread, outside the actor: hop in to take the waiter out.
            Task { await self.cancelWaiter(id) }
        }
    }

    /// Resumes a cancelled waiter with `CancellationError`, unless it has already been handed
    /// something (then `checkOut` sees the cancellation and passes the hand-off on).
    private func cancelWaiter(_ id: UInt64) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(throwing: CancellationError())
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
        guard !isShutDown, connection.isUsable() else { return await discard(connection) }
        if waiters.isEmpty {
            idle.append(connection)
        } else {
            waiters.removeFirst().continuation.resume(returning: connection)
        }
    }

    /// Closes a connection instead of taking it back, making room for a new one.
    private func discard(_ connection: Connection) async {
        openCount -= 1
        await connection.close()
        wakeWaiterToOpen()
    }

    private func wakeWaiterToOpen() {
        if !waiters.isEmpty { waiters.removeFirst().continuation.resume(returning: nil) }
    }

    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Connection?, any Error>
    }
}
