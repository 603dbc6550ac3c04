import Postgres
import TestSupport
import Testing

@Suite("A task cancelled while it waits for a pooled connection")
struct PoolCancellationTests {
    @Test("stops waiting at once with CancellationError, and the pool serves the next task")
    func cancelledWaiter() async throws {
        let database = try await TestDatabase.empty()
        let pool = ConnectionPool(.init(conninfo: database.ownerConninfo, maximumConnections: 1))
        let holder = try await ConnectionHolder(pool)

        let waiter = Task { try await pool.withConnection { try await $0.query("SELECT 1").rows.count } }
        #expect(await eventually { await pool.usage.waiting == 1 })
        let cancelled = ContinuousClock.now
        waiter.cancel()
        let ended = await outcome(of: waiter, within: .seconds(5))
        #expect(ContinuousClock.now - cancelled < .seconds(1))
        #expect(throws: CancellationError.self) { try #require(ended).get() }
        #expect(await pool.usage.waiting == 0)

        await holder.release()
        let next = Task {
            try await pool.withConnection { try await $0.query("SELECT 42").first!.decode(0, as: Int.self) }
        }
        #expect(try #require(await outcome(of: next, within: .seconds(5))).get() == 42)
        #expect(await pool.usage.isAllIdle(open: 1))
    }

    @Test("loses no connection when the hand-off races the cancellation")
    func handOffRacesCancellation() async throws {
        let database = try await TestDatabase.empty()
        let pool = ConnectionPool(.init(conninfo: database.ownerConninfo, maximumConnections: 1))
        for round in 0..<100 {
            let holder = try await ConnectionHolder(pool)
            let waiter = Task { try await pool.withConnection { _ in round } }
            #expect(await eventually { await pool.usage.waiting == 1 })
            async let released: Void = holder.release()
            waiter.cancel()
            await released
            // Either outcome is fine (served just before the cancellation, or cancelled), but it comes promptly...
            let ended = try #require(await outcome(of: waiter, within: .seconds(5)), "round \(round): waiter hangs")
            if case .failure(let error) = ended { #expect(error is CancellationError, "round \(round): \(error)") }
            // ...and the one connection is back in the pool, not lost to the cancelled task.
            let settled = await eventually { await pool.usage.isAllIdle(open: 1) }
            let usage = await pool.usage
            #expect(settled, "round \(round): \(usage)")
        }
        let next = Task { try await pool.withConnection { try await $0.query("SELECT 1").rows.count } }
        #expect(try #require(await outcome(of: next, within: .seconds(5))).get() == 1)
    }
}

extension ConnectionPool.Usage {
    /// `open` connections, every one of them back in the pool, and nobody waiting.
    func isAllIdle(open: Int) -> Bool { self.open == open && idle == open && waiting == 0 }
}

/// Keeps one pooled connection checked out until `release()`.
private struct ConnectionHolder {
    private let task: Task<Void, any Error>
    private let gate: AsyncStream<Void>.Continuation

    init(_ pool: ConnectionPool) async throws {
        let (gate, opened) = AsyncStream<Void>.makeStream()
        let (held, signalHeld) = AsyncStream<Void>.makeStream()
        task = Task {
            try await pool.withConnection { _ in
                signalHeld.yield()
                for await _ in gate {}
            }
        }
        self.gate = opened
        for await _ in held { break }
    }

    func release() async {
        gate.finish()
        _ = await task.result
    }
}

/// How `task` ended, or nil when it has not ended within `timeout` (so a hang fails the test
/// instead of stalling the run).
private func outcome<T: Sendable>(
    of task: Task<T, any Error>, within timeout: Duration
) async -> Result<T, any Error>? {
    let (results, deliver) = AsyncStream<Result<T, any Error>?>.makeStream()
    let watcher = Task { deliver.yield(await task.result) }
    let timer = Task {
        try? await Task.sleep(for: timeout)
        deliver.yield(nil)
    }
    defer {
        watcher.cancel()
        timer.cancel()
    }
    for await result in results { return result }
    return nil
}

/// Polls `condition` until it holds or `timeout` passes.
private func eventually(timeout: Duration = .seconds(5), _ condition: () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return await condition()
}
