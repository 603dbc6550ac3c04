import Foundation
import Postgres
import Synchronization

/// Where queries read: a streaming replica when one is configured (`COPYDESK_READ_DATABASE_URL`)
/// and it can answer consistently, else the primary.
///
/// A read whose request has seen a commit (`ReadConsistency`) waits, at most `catchUpTimeout`,
/// for the replica to replay that far, and otherwise reads from the primary: reads are never
/// older than the reader's own writes. A replica that cannot be reached (or cancels a query for
/// a conflict with recovery) sends reads to the primary for `retryAfter`, and `/readyz` says so.
public struct ReadSource: Sendable {
    public let primary: ConnectionPool
    public let replica: ReplicaPool?

    public init(primary: ConnectionPool, replica: ReplicaPool? = nil) {
        self.primary = primary
        self.replica = replica
    }

    /// Runs a read-only `body` on a connection that has seen every commit the current request has.
    public func withConnection<T: Sendable>(_ body: @Sendable (Connection) async throws -> T) async throws -> T {
        guard let replica, replica.isUsable else { return try await primary.withConnection(body) }
        let after = ReadConsistency.current?.position
        do {
            let answer: T? = try await replica.pool.withConnection { connection in
                guard try await replica.hasReplayed(after, on: connection) else { return nil }
                return try await body(connection)
            }
            if let answer { return answer }
            replica.count(.behind)
        } catch let error as PostgresError where error.isUnavailable || error.code == .serializationFailure {
            // A standby cancels a read that conflicts with replaying (40001): the primary has no such conflict.
            replica.markUnavailable(error)
        }
        return try await primary.withConnection(body)
    }
}

/// The streaming replica's pool and what the service knows of its health.
public final class ReplicaPool: Sendable {
    public let pool: ConnectionPool
    /// How long a read waits for the replica to replay a position it brings.
    let catchUpTimeout: Duration
    /// How long reads go to the primary after the replica failed.
    let retryAfter: Duration

    public enum Outcome: String, Sendable, CaseIterable {
        /// Served by the replica.
        case served
        /// The replica had not replayed the reader's position in time: read from the primary.
        case behind
        /// The replica could not answer: read from the primary.
        case unavailable
    }

    private struct State {
        var failedAt: ContinuousClock.Instant?
        var lastError: String?
        var counts: [Outcome: Int] = [:]
    }
    private let state = Mutex(State())

    public init(pool: ConnectionPool, catchUpTimeout: Duration = .milliseconds(500), retryAfter: Duration = .seconds(5)) {
        self.pool = pool
        self.catchUpTimeout = catchUpTimeout
        self.retryAfter = retryAfter
    }

    /// False for `retryAfter` after the replica failed.
    var isUsable: Bool {
        state.withLock { state in
            guard let failedAt = state.failedAt else { return true }
            return ContinuousClock.now - failedAt >= retryAfter
        }
    }

    /// How reads went since the start, for `/readyz` and metrics.
    public var counts: [Outcome: Int] { state.withLock { $0.counts } }

    /// Why the replica was last skipped, while reads still go to the primary for it.
    public var unavailableBecause: String? {
        state.withLock { state in
            guard let failedAt = state.failedAt, ContinuousClock.now - failedAt < retryAfter else { return nil }
            return state.lastError
        }
    }

    /// Asks the replica whether it answers, for `/readyz`: nil when it does, else why reads go
    /// to the primary (it is then skipped for `retryAfter`, as after a failed read).
    public func problem() async -> String? {
        do {
            _ = try await pool.withConnection { connection in try await connection.query("SELECT 1") }
            return unavailableBecause
        } catch let error as PostgresError {
            markUnavailable(error)
            return error.message
        } catch {
            return "\(error)"
        }
    }

    func count(_ outcome: Outcome) {
        state.withLock { $0.counts[outcome, default: 0] += 1 }
    }

    func markUnavailable(_ error: PostgresError) {
        state.withLock { state in
            state.failedAt = .now
            state.lastError = error.message
            state.counts[.unavailable, default: 0] += 1
        }
    }

    /// Whether the replica has replayed `position`, waiting for it at most `catchUpTimeout`.
    func hasReplayed(_ position: WALPosition?, on connection: Connection) async throws -> Bool {
        let deadline = ContinuousClock.now + catchUpTimeout
        while true {
            if let position {
                let replayed = try await connection.query("SELECT pg_last_wal_replay_lsn()::text")
                    .first?.decodeIfPresent(0, as: String.self).flatMap { WALPosition($0) }
                // A server that is not in recovery (a promoted replica) has everything it has.
                if replayed.map({ $0 >= position }) ?? true {
                    count(.served)
                    return true
                }
            } else {
                count(.served)
                return true
            }
            guard ContinuousClock.now < deadline else { return false }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}
