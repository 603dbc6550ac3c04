import Copydesk
import EventStore
import Foundation
import LocalPostgres
import Postgres
import TestSupport
import Testing

/// Opens once; tasks waiting on it continue.
actor Gate {
    private(set) var isOpen = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func wait() async {
        if isOpen { return }
        await withCheckedContinuation { waiting.append($0) }
    }

    func open() {
        isOpen = true
        for continuation in waiting { continuation.resume() }
        waiting.removeAll()
    }
}

/// Holds one value, set by one task and read by another.
actor Mailbox<Value: Sendable> {
    private(set) var value: Value?
    func put(_ value: Value) { self.value = value }
}

/// Serialized: these tests hold transactions open on purpose, which holds back every reader of
/// the cluster, so they should not overlap with the subscription timing checks.
@Suite("The global log: gap-safe reading and subscriptions", .serialized)
struct GlobalLogTests {
    @Test("a reader following the log while 8 writers append, one held open before commit, misses nothing and repeats nothing")
    func gapSafeReading() async throws {
        let fixture = try await StoreFixture()
        let store = EventStore(pool: fixture.database.servicePool(maximumConnections: 10))
        let appended = Gate()
        let release = Gate()
        let slowPosition = Mailbox<Int64>()

        // Writer 0 draws its global position first, then waits before committing.
        let slowWriter = Task {
            try await store.pool.transaction { connection in
                let result = try store.append(request("slow", expected: .noStream), on: connection)
                await slowPosition.put(result.firstPosition)
                await appended.open()
                await release.wait()
                return result
            }
        }
        await appended.wait()

        // Writers 1...7 append and commit while writer 0 is still open.
        let fastWritersDone = Gate()
        let fastWriters = Task {
            defer { Task { await fastWritersDone.open() } }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 1...7 {
                    group.addTask {
                        for command in 0..<20 {
                            _ = try await store.append(request("fast-\(writer)", expected: .exactly(Int64(command))))
                        }
                    }
                }
                try await group.waitForAll()
            }
        }

        var seen: [RecordedEvent] = []
        var cursor = GlobalCursor.start
        func readAvailable() async throws {
            while true {
                let page = try await store.readAll(after: cursor, limit: 7)
                guard let last = page.last else { return }
                seen += page
                cursor = last.cursor
            }
        }
        // Follow the log while the fast writers commit around the open transaction.
        while !(await fastWritersDone.isOpen) {
            try await readAvailable()
            try await Task.sleep(for: .milliseconds(2))
        }
        try await fastWriters.value
        try await readAvailable()

        // The hazard is real: committed events already sit past the open transaction's position,
        // so a reader trusting positions alone would have moved past it and never come back.
        let committedPastSlow = try await fixture.count(
            "SELECT count(*)::int FROM events WHERE global_position > $1", [await slowPosition.value])
        #expect(committedPastSlow == 140)
        #expect(!seen.contains { $0.streamId == "slow" })

        await release.open()
        _ = try await slowWriter.value
        let everything = try await fixture.count("SELECT count(*)::int FROM events")
        #expect(everything == 141)
        // Other suites' transactions (anywhere in the cluster) can hold the horizon back for a
        // moment, so keep following the log, as a real reader would, until it has caught up.
        let deadline = ContinuousClock.now + .seconds(30)
        while seen.count < everything && ContinuousClock.now < deadline {
            try await readAvailable()
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(seen.count == everything)
        #expect(Set(seen.map(\.id)).count == seen.count)
        #expect(zip(seen, seen.dropFirst()).allSatisfy { $0.cursor < $1.cursor })
        #expect(seen.contains { $0.streamId == "slow" })
    }

    @Test("the log is ordered by transaction id as a number, also where ids gain a digit (999 → 1000)")
    func numericTransactionOrder() async throws {
        // A cluster of its own: a new cluster's transaction ids are still below 1000, so crossing
        // to four digits costs a few hundred ids (the shared cluster may be far past its next power of ten).
        let directory = TestCluster.privateDirectory("xids").appendingPathComponent("postgres")
        let cluster = LocalCluster(dataDirectory: directory)
        try await cluster.start()
        defer {
            try? cluster.stop()
            try? FileManager.default.removeItem(at: directory.deletingLastPathComponent())
        }
        let owner = try await Connection.connect(to: cluster.connectionURL())
        _ = try await Migrator().migrate(on: owner)
        let store = EventStore(pool: ConnectionPool(.init(
            conninfo: cluster.connectionURL(), maximumConnections: 2, setupScript: "SET ROLE copydesk_service")))

        _ = try await store.append(request("before", expected: .noStream))
        let current = try await owner.query("SELECT pg_current_xact_id()::text").first!.decode(0, as: UInt64.self)
        var boundary: UInt64 = 10
        while boundary <= current { boundary *= 10 }
        #expect(boundary - current < 100_000, "a fresh cluster should be close to its next power of ten")
        // Each subtransaction that writes draws a transaction id: burn ids up to the power of ten.
        try await owner.executeScript("CREATE TEMP TABLE burn (n int)")
        try await owner.query(
            """
            DO $$ BEGIN
                FOR i IN 1..(\(boundary - current) + 1) LOOP
                    BEGIN INSERT INTO burn VALUES (i); EXCEPTION WHEN others THEN NULL; END;
                END LOOP;
            END $$
            """)
        _ = try await store.append(request("after", expected: .noStream))
        let log = try await store.readAll()
        #expect(log.map(\.streamId) == ["before", "after"])
        #expect(String(log[1].transactionId).count > String(log[0].transactionId).count)
        #expect(try await store.readAll(after: log[0].cursor).map(\.streamId) == ["after"])
    }

    @Test("a subscriber wakes on NOTIFY, long before its poll interval")
    func wakesOnNotify() async throws {
        let fixture = try await StoreFixture()
        let store = fixture.store
        let received = try await firstEvent(of: store.subscribe(pollInterval: .seconds(60)), within: .seconds(15)) {
            _ = try await store.append(request("woken", expected: .noStream))
        }
        #expect(received?.streamId == "woken")
    }

    @Test("a lost NOTIFY delays a subscriber by at most its poll interval")
    func lostNotify() async throws {
        let fixture = try await StoreFixture()
        // This writer's appends send no NOTIFY at all.
        let silentPool = ConnectionPool(.init(
            conninfo: fixture.database.ownerConninfo, maximumConnections: 1,
            setupScript: "SET ROLE copydesk_service"))
        let silent = EventStore(pool: silentPool)
        let pollInterval = Duration.milliseconds(300)
        let clock = ContinuousClock()
        var appendedAt = clock.now
        let received = try await firstEvent(of: fixture.store.subscribe(pollInterval: pollInterval), within: .seconds(15)) {
            _ = try await silent.append(request("quiet", expected: .noStream))
            appendedAt = clock.now
        }
        let delay = clock.now - appendedAt
        #expect(received?.streamId == "quiet")
        // One poll interval, plus room for a loaded machine.
        #expect(delay < pollInterval + .seconds(2))
    }

    @Test("a subscription resumes after a cursor with the next event and sees later appends in order")
    func resumesAfterCursor() async throws {
        let fixture = try await StoreFixture()
        let store = fixture.store
        for index in 0..<5 { _ = try await store.append(request("s", expected: .exactly(Int64(index)))) }
        let all = try await fixture.readAll(waitingFor: 5)
        try #require(all.count == 5)
        var iterator = store.subscribe(after: all[1].cursor, pageSize: 2, pollInterval: .milliseconds(100)).makeAsyncIterator()
        var versions: [Int64] = []
        for _ in 0..<3 { versions.append(try #require(try await iterator.next()).streamVersion) }
        _ = try await store.append(request("s", expected: .exactly(5)))
        versions.append(try #require(try await iterator.next()).streamVersion)
        #expect(versions == [3, 4, 5, 6])
    }

    @Test("pages read the log from a cursor in order and end once caught up; following pages then wait for news")
    func pagesEndWhenCaughtUp() async throws {
        let fixture = try await StoreFixture()
        let store = fixture.store
        for index in 0..<5 { _ = try await store.append(request("p", expected: .exactly(Int64(index)))) }
        let all = try await fixture.readAll(waitingFor: 5)
        try #require(all.count == 5)
        var sizes: [Int] = []
        var versions: [Int64] = []
        for try await page in store.pages(after: all[0].cursor, pageSize: 2) {
            sizes.append(page.count)
            versions += page.map(\.streamVersion)
        }
        #expect(sizes == [2, 2])
        #expect(versions == [2, 3, 4, 5])

        let following = Task {
            var pages = store.followPages(after: all[4].cursor, pollInterval: .milliseconds(100)).makeAsyncIterator()
            return try await pages.next()?.map(\.streamVersion)
        }
        try await Task.sleep(for: .milliseconds(300))
        _ = try await store.append(request("p", expected: .exactly(5)))
        #expect(try await following.value == [6])
    }
}

/// Starts iterating `subscription`, runs `action`, and returns the first event seen, or nil after `limit`.
func firstEvent(
    of subscription: EventSubscription, within limit: Duration, after action: () async throws -> Void
) async throws -> RecordedEvent? {
    let listening = Task { () -> RecordedEvent? in
        var iterator = subscription.makeAsyncIterator()
        return try await iterator.next()
    }
    // Give the subscriber time to read the empty log and start waiting, so the event is news to it.
    try await Task.sleep(for: .milliseconds(300))
    try await action()
    let deadline = Task {
        try await Task.sleep(for: limit)
        listening.cancel()
    }
    defer { deadline.cancel() }
    return try await listening.value
}
