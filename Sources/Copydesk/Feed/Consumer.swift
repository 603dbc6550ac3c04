import EventStore
import Foundation
import Postgres

/// Runs a named asynchronous consumer of the global log, with effects that happen exactly once.
///
/// Each page of events is handled in one transaction that also moves the consumer's checkpoint
/// (`consumer_checkpoints`, `sql/003_consumers.sql`): a crash or a throwing handler rolls back the
/// page's effects and its checkpoint together, and the next run handles the page again. Only one
/// runner of a name works at a time, across processes: it holds a session advisory lock on a
/// dedicated connection, and the handler's transaction runs on that same connection.
public struct ConsumerRunner: Sendable {
    /// Applies one event's effects with the given connection, inside the page's transaction.
    ///
    /// Writing through this connection is what makes the effects exactly-once; effects outside
    /// the database (mail, HTTP) happen at least once.
    public typealias Handler = @Sendable (RecordedEvent, isolated Connection) throws -> Void

    public let store: EventStore
    /// Events handled per transaction.
    public let pageSize: Int
    /// How long to wait before trying again for a lock another runner holds.
    public let lockRetryInterval: Duration

    public init(store: EventStore, pageSize: Int = 500, lockRetryInterval: Duration = .milliseconds(500)) {
        self.store = store
        self.pageSize = max(1, pageSize)
        self.lockRetryInterval = lockRetryInterval
    }

    /// Handles every event available now after the consumer's checkpoint, and returns how many.
    ///
    /// Waits while another runner of the same name holds the lock. When `handler` throws, the
    /// page it was handling is rolled back (effects and checkpoint) and the error is rethrown;
    /// earlier pages stay done.
    public func runOnce(name: String, handler: @escaping Handler) async throws -> Int {
        let connection = try await lockedConnection(name)
        do {
            let count = try await drain(name, on: connection, handler)
            await connection.close()  // ends the session, which releases the lock
            return count
        } catch {
            await connection.close()
            throw error
        }
    }

    /// Handles events as they are appended, until the task is cancelled.
    ///
    /// Follows the log with `EventStore.followPages`: wakes on `NOTIFY` and also polls every
    /// `pollInterval` (DESIGN.md invariant 7). When the database goes away it waits a poll
    /// interval, takes the lock again and continues from the checkpoint. An error thrown by
    /// `handler` stops the run, after rolling back its page.
    public func run(name: String, pollInterval: Duration = .seconds(1), handler: @escaping Handler) async throws {
        while !Task.isCancelled {
            var held: Connection?
            do {
                let connection = try await lockedConnection(name)
                held = connection
                var checkpoint = try await startingPoint(name, on: connection)
                let pages = store.followPages(after: checkpoint, pageSize: pageSize, pollInterval: pollInterval)
                for try await page in pages {
                    checkpoint = try await handle(page, after: checkpoint, name, on: connection, handler)
                }
                await connection.close()
            } catch is CancellationError {
                await held?.close()
                return
            } catch let error as PostgresError where error.isUnavailable {
                await held?.close()
                try? await Task.sleep(for: pollInterval)
            } catch {
                await held?.close()
                throw error
            }
        }
    }

    /// Where the consumer has got to, or nil when it has never run.
    public func checkpoint(name: String) async throws -> GlobalCursor? {
        try await store.pool.withConnection { connection in
            try await Self.checkpoint(name, on: connection)
        }
    }

    // MARK: - Steps

    /// A dedicated connection holding the consumer's advisory lock; waits while another runner has it.
    private func lockedConnection(_ name: String) async throws -> Connection {
        guard !name.isEmpty else { throw ConsumerError.emptyName }
        while true {
            let connection = try await store.pool.openDedicatedConnection()
            let locked = try await connection.query(
                "SELECT pg_try_advisory_lock(hashtext('consumer:' || $1))", [name]
            ).first?.decode(0, as: Bool.self) ?? false
            if locked { return connection }
            await connection.close()
            try await Task.sleep(for: lockRetryInterval)
        }
    }

    /// Handles pages until none is left, one transaction per page; returns how many events it handled.
    private func drain(_ name: String, on connection: Connection, _ handler: @escaping Handler) async throws -> Int {
        var checkpoint = try await startingPoint(name, on: connection)
        var count = 0
        for try await page in store.pages(after: checkpoint, pageSize: pageSize) {
            checkpoint = try await handle(page, after: checkpoint, name, on: connection, handler)
            count += page.count
        }
        return count
    }

    /// The consumer's checkpoint, created at the start of the log on its first run.
    private func startingPoint(_ name: String, on connection: Connection) async throws -> GlobalCursor {
        try await connection.query(
            """
            INSERT INTO consumer_checkpoints (consumer, transaction_id, position) VALUES ($1, '0', 0)
            ON CONFLICT (consumer) DO NOTHING
            """,
            [name])
        return try await Self.checkpoint(name, on: connection) ?? .start
    }

    /// Applies one page's effects and moves the checkpoint from `checkpoint` past the page, in
    /// one transaction; returns the new checkpoint.
    private func handle(
        _ page: [RecordedEvent], after checkpoint: GlobalCursor, _ name: String, on connection: Connection,
        _ handler: @escaping Handler
    ) async throws -> GlobalCursor {
        guard let last = page.last else { return checkpoint }
        try await connection.transaction { connection in
            for event in page { try handler(event, connection) }
            // Compare-and-set: effects commit only if nobody else moved the checkpoint meanwhile,
            // which keeps them exactly-once even if the lock's session was lost.
            let moved = try connection.query(
                """
                UPDATE consumer_checkpoints SET transaction_id = $2::text::xid8, position = $3, updated_at = now()
                WHERE consumer = $1 AND transaction_id = $4::text::xid8 AND position = $5
                """,
                [name, last.transactionId, last.globalPosition, checkpoint.transactionId, checkpoint.position])
            guard moved.affectedRows == 1 else { throw ConsumerError.checkpointMoved(name) }
        }
        return last.cursor
    }

    private static func checkpoint(_ name: String, on connection: isolated Connection) throws -> GlobalCursor? {
        guard let row = try connection.query(
            "SELECT transaction_id::text AS transaction_id, position FROM consumer_checkpoints WHERE consumer = $1",
            [name]
        ).first else { return nil }
        return GlobalCursor(transactionId: try row.decode("transaction_id"), position: try row.decode("position"))
    }
}

/// Why a consumer could not run.
public enum ConsumerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A consumer needs a name: it keys the checkpoint and the lock.
    case emptyName
    /// Another runner moved the checkpoint while this one handled a page; the page was rolled back.
    case checkpointMoved(String)

    public var description: String {
        switch self {
        case .emptyName:
            "a consumer needs a non-empty name"
        case .checkpointMoved(let name):
            "another runner of consumer \(name) moved its checkpoint meanwhile; this page was rolled back "
                + "and will be handled from the new checkpoint on the next run"
        }
    }
}
