import Copydesk
import Editorial
import EventStore
import Foundation
import Postgres
import Testing

/// A fixture whose database has a table the test consumers write their effects to.
private struct ConsumerFixture {
    let workflow: WorkflowFixture
    let runner: ConsumerRunner

    init(pageSize: Int = 3) async throws {
        workflow = try await WorkflowFixture()
        let owner = try await Connection.connect(to: workflow.database.ownerConninfo)
        // No unique key on purpose: an event handled twice would show up as two rows.
        try await owner.executeScript(
            """
            CREATE TABLE consumer_effects (consumer text NOT NULL, event_id uuid NOT NULL, position bigint NOT NULL);
            GRANT SELECT, INSERT ON consumer_effects TO copydesk_service;
            """)
        await owner.close()
        runner = ConsumerRunner(store: workflow.app.store, pageSize: pageSize, lockRetryInterval: .milliseconds(50))
        try await workflow.someHistory()
    }

    /// Records the event as an effect of consumer `name`.
    static func recorder(_ name: String) -> ConsumerRunner.Handler {
        { event, connection in
            try connection.query(
                "INSERT INTO consumer_effects (consumer, event_id, position) VALUES ($1, $2, $3)",
                [name, event.id, event.globalPosition])
        }
    }

    /// Each event's position with how many times consumer `name` recorded it.
    func effects(_ name: String) async throws -> [Int64: Int] {
        let rows = try await workflow.app.pool.withConnection { connection in
            try await connection.query(
                "SELECT position, count(*)::int AS times FROM consumer_effects WHERE consumer = $1 GROUP BY position",
                [name]
            ).rows
        }
        var effects: [Int64: Int] = [:]
        for row in rows { effects[try row.decode("position")] = try row.decode("times") }
        return effects
    }

    /// Runs `runOnce` until the consumer has seen every event (the log may lag behind open transactions).
    func runUntilCaughtUp(_ name: String, handler: @escaping ConsumerRunner.Handler) async throws -> Int {
        let events = try await workflow.readableEvents()
        var handled = 0
        for _ in 0..<100 {
            handled += try await runner.runOnce(name: name, handler: handler)
            if try await runner.checkpoint(name: name) == events.last?.cursor { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        return handled
    }
}

/// Thrown by a handler on purpose.
private struct HandlerFailure: Error {}

/// Counts calls across the handler's invocations (which run on the connection's thread).
private final class CallCounter: @unchecked Sendable {
    // @unchecked: `count` is only touched under `lock`.
    private let lock = NSLock()
    private var count = 0
    func next() -> Int {
        lock.withLock {
            count += 1
            return count
        }
    }
}

@Suite("Async consumers: checkpoint and effects in one transaction")
struct ConsumerTests {
    @Test("a consumer handles every event exactly once, in pages, and a rerun finds nothing new until there is")
    func exactlyOnce() async throws {
        let fixture = try await ConsumerFixture()
        let events = try await fixture.workflow.readableEvents()
        #expect(events.count > 6)
        #expect(try await fixture.runner.checkpoint(name: "mail") == nil)

        let handled = try await fixture.runUntilCaughtUp("mail", handler: ConsumerFixture.recorder("mail"))
        #expect(handled == events.count)
        #expect(try await fixture.effects("mail") == Dictionary(uniqueKeysWithValues: events.map { ($0.globalPosition, 1) }))
        #expect(try await fixture.runner.checkpoint(name: "mail") == events.last?.cursor)
        #expect(try await fixture.runner.runOnce(name: "mail", handler: ConsumerFixture.recorder("mail")) == 0)

        let id = try await fixture.workflow.draft(ArticleContent(title: "Later"))
        try await fixture.workflow.run(.submit, on: id, as: fixture.workflow.alice)
        let later = try await fixture.runUntilCaughtUp("mail", handler: ConsumerFixture.recorder("mail"))
        #expect(later == 2)
        let effects = try await fixture.effects("mail")
        #expect(effects.count == events.count + 2 && effects.values.allSatisfy { $0 == 1 })
        // Another consumer has its own checkpoint and starts from the beginning.
        #expect(try await fixture.runUntilCaughtUp("search", handler: ConsumerFixture.recorder("search")) == events.count + 2)
    }

    @Test("a handler that throws rolls back its page's effects and checkpoint; a rerun completes exactly once")
    func failureRollsBackThePage() async throws {
        let fixture = try await ConsumerFixture(pageSize: 3)
        let events = try await fixture.workflow.readableEvents()
        let calls = CallCounter()
        let record = ConsumerFixture.recorder("mail")
        let failing: ConsumerRunner.Handler = { event, connection in
            try record(event, connection)
            if calls.next() == 5 { throw HandlerFailure() }  // the second event of the second page
        }
        await #expect(throws: HandlerFailure.self) { try await fixture.runner.runOnce(name: "mail", handler: failing) }
        #expect(try await fixture.effects("mail") == Dictionary(uniqueKeysWithValues: events.prefix(3).map { ($0.globalPosition, 1) }))
        #expect(try await fixture.runner.checkpoint(name: "mail") == events[2].cursor)

        let rest = try await fixture.runUntilCaughtUp("mail", handler: record)
        #expect(rest == events.count - 3)
        #expect(try await fixture.effects("mail") == Dictionary(uniqueKeysWithValues: events.map { ($0.globalPosition, 1) }))
    }

    @Test("while another session holds the consumer's lock, a runner waits and handles nothing")
    func lockHeldElsewhere() async throws {
        let fixture = try await ConsumerFixture()
        let events = try await fixture.workflow.readableEvents()
        let other = try await Connection.connect(to: fixture.workflow.database.ownerConninfo)
        try await other.query("SELECT pg_advisory_lock(hashtext('consumer:' || $1))", ["mail"])

        let runner = fixture.runner
        let waiting = Task { try await runner.runOnce(name: "mail", handler: ConsumerFixture.recorder("mail")) }
        try await Task.sleep(for: .milliseconds(800))
        #expect(try await fixture.effects("mail").isEmpty)
        #expect(try await fixture.runner.checkpoint(name: "mail") == nil)

        await other.close()  // ends the session: the lock is released
        #expect(try await waiting.value == events.count)
        #expect(try await fixture.effects("mail").count == events.count)
    }

    @Test("two runners started together: one handles everything, the other nothing, each effect once")
    func twoRunners() async throws {
        let fixture = try await ConsumerFixture(pageSize: 2)
        let events = try await fixture.workflow.readableEvents()
        let runner = fixture.runner
        let record = ConsumerFixture.recorder("mail")
        async let first = runner.runOnce(name: "mail", handler: record)
        async let second = runner.runOnce(name: "mail", handler: record)
        let counts = try await [first, second]
        #expect(counts.sorted() == [0, events.count])
        #expect(try await fixture.effects("mail") == Dictionary(uniqueKeysWithValues: events.map { ($0.globalPosition, 1) }))
    }

    @Test("run follows new events until cancelled")
    func runFollows() async throws {
        let fixture = try await ConsumerFixture()
        let runner = fixture.runner
        let following = Task {
            try await runner.run(name: "feed", pollInterval: .milliseconds(200), handler: ConsumerFixture.recorder("feed"))
        }
        let id = try await fixture.workflow.draft(ArticleContent(title: "Live"))
        // Every event, the fixture's users' included.
        let expected = try await fixture.workflow.allEventCount()
        var seen = 0
        for _ in 0..<200 where seen < expected {
            try await Task.sleep(for: .milliseconds(50))
            seen = try await fixture.effects("feed").count
        }
        #expect(seen == expected)
        #expect(try await fixture.effects("feed").values.allSatisfy { $0 == 1 })
        following.cancel()
        try await following.value
        _ = id
    }
}
