import EventStore
import Foundation
import Postgres
import Testing

@Suite("Anchors: tamper evidence beyond the per-stream chains")
struct AnchorTests {
    @Test("a stream re-chained by a superuser passes the chain check but not an anchor taken before")
    func rechainedStream() async throws {
        let fixture = try await StoreFixture()
        _ = try await fixture.store.append(request("a", expected: .noStream, events: 3))
        _ = try await fixture.store.append(request("b", expected: .noStream, events: 2))
        let kept = try await fixture.store.anchor()
        #expect(kept.position == 5 && kept.events == 5)
        #expect(try await fixture.store.anchor(at: kept.position).matches(kept))

        // The forger rewrites a's second event and recomputes every later hash of that stream, as
        // append_events would have: each link and each content hash is valid again.
        let owner = try await fixture.owner()
        try await owner.executeScript("ALTER TABLE events DISABLE TRIGGER USER")
        try await owner.query(
            "UPDATE events SET data = '{\"text\": \"forged\"}' WHERE stream_id = 'a' AND stream_version = 2")
        for version: Int64 in 2...3 {
            try await owner.query(
                """
                UPDATE events AS e SET previous_hash = p.hash,
                    hash = event_hash(p.hash, e.stream_id, e.stream_version, e.event_id, e.event_type,
                                      e.schema_version, e.data, e.metadata, e.recorded_at)
                FROM events AS p
                WHERE e.stream_id = 'a' AND e.stream_version = $1
                  AND p.stream_id = e.stream_id AND p.stream_version = e.stream_version - 1
                """,
                [version])
        }
        try await owner.executeScript("ALTER TABLE events ENABLE TRIGGER USER")

        #expect(try await fixture.store.firstBrokenEvent() == nil, "the chains alone cannot tell")
        let now = try await fixture.store.anchor(at: kept.position)
        #expect(!now.matches(kept))
        #expect(now.events == kept.events && now.root != kept.root)
    }

    @Test("an anchor still verifies after later appends; a removed event changes the count")
    func laterAppends() async throws {
        let fixture = try await StoreFixture()
        _ = try await fixture.store.append(request("a", expected: .noStream, events: 2))
        let kept = try await fixture.store.anchor()
        _ = try await fixture.store.append(request("a", expected: .exactly(2), events: 2))
        _ = try await fixture.store.append(batch: [request("c", expected: .noStream, events: 3)])
        #expect(try await fixture.store.anchor(at: kept.position).matches(kept))
        let later = try await fixture.store.anchor()
        #expect(later.position == 7 && later.events == 7 && later.root != kept.root)
        #expect(try await fixture.store.anchor(at: 7, pageSize: 2).matches(later), "read in pages, the same root")

        let owner = try await fixture.owner()
        try await owner.executeScript("ALTER TABLE events DISABLE TRIGGER USER")
        try await owner.query("DELETE FROM events WHERE stream_id = 'a' AND stream_version > 1")
        try await owner.executeScript("ALTER TABLE events ENABLE TRIGGER USER")
        let now = try await fixture.store.anchor(at: kept.position)
        #expect(now.events == 1 && !now.matches(kept))
    }

    @Test("an anchor waits for an append still open below its position, so that append cannot change it later")
    func waitsForOpenAppends() async throws {
        let fixture = try await StoreFixture()
        _ = try await fixture.store.append(request("a", expected: .noStream))
        let writer = try await fixture.owner()
        try await writer.executeScript("BEGIN")
        let store = fixture.store
        _ = try await writer.perform { connection in try store.append(request("b", expected: .noStream), on: connection) }
        _ = try await fixture.store.append(request("c", expected: .noStream))  // position 3 commits before 2

        let started = ContinuousClock.now
        async let taken = fixture.store.anchor()
        try await Task.sleep(for: .milliseconds(500))
        try await writer.executeScript("COMMIT")
        let kept = try await taken
        #expect(ContinuousClock.now - started >= .milliseconds(450), "it waited for the open append")
        #expect(kept.position == 3 && kept.events == 3)
        #expect(try await fixture.store.anchor(at: 3).matches(kept))
    }

    @Test("an empty store has an anchor at position 0 that verifies")
    func emptyStore() async throws {
        let fixture = try await StoreFixture()
        let kept = try await fixture.store.anchor()
        #expect(kept.position == 0 && kept.events == 0)
        #expect(kept.root == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(try await fixture.store.anchor(at: 0).matches(kept))
    }
}
