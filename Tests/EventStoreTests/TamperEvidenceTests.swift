import EventStore
import Foundation
import Postgres
import Testing

@Suite("Tamper evidence: hash chains per stream")
struct TamperEvidenceTests {
    @Test("an untouched store verifies clean")
    func cleanStore() async throws {
        let fixture = try await StoreFixture()
        for stream in ["a", "b"] {
            _ = try await fixture.store.append(request(stream, expected: .noStream, events: 3))
            _ = try await fixture.store.append(request(stream, expected: .exactly(3), events: 2))
        }
        _ = try await fixture.store.append(batch: [request("c", expected: .noStream, events: 2)])
        #expect(try await fixture.store.firstBrokenEvent() == nil)
    }

    @Test("a superuser's edit of one event's data, trigger disabled, is found and named")
    func editedData() async throws {
        let fixture = try await StoreFixture()
        _ = try await fixture.store.append(request("a", expected: .noStream, events: 3))
        let target = try await fixture.store.readStream("a")[1]
        _ = try await fixture.store.append(request("b", expected: .noStream, events: 2))

        let owner = try await fixture.owner()
        try await owner.executeScript("ALTER TABLE events DISABLE TRIGGER events_reject_update_delete")
        try await owner.query(
            "UPDATE events SET data = jsonb_set(data, '{text}', '\"forged\"') WHERE global_position = $1",
            [target.globalPosition])
        try await owner.executeScript("ALTER TABLE events ENABLE TRIGGER events_reject_update_delete")

        let broken = try #require(try await fixture.store.firstBrokenEvent())
        #expect(broken.position == target.globalPosition)
        #expect(broken.stream == "a" && broken.version == 2)
        #expect(broken.problem.contains("content"))
    }

    @Test("re-hashing the edited event breaks the next link; deleting an event leaves a version gap")
    func deeperTampering() async throws {
        let fixture = try await StoreFixture()
        _ = try await fixture.store.append(request("a", expected: .noStream, events: 4))
        let events = try await fixture.store.readStream("a")
        let owner = try await fixture.owner()
        try await owner.executeScript("ALTER TABLE events DISABLE TRIGGER USER")
        // A careful forger recomputes the edited event's own hash...
        try await owner.query(
            """
            UPDATE events SET data = '{"forged": true}',
                hash = event_hash(previous_hash, stream_id, stream_version, event_id, event_type, schema_version,
                                  '{"forged": true}', metadata, recorded_at)
            WHERE global_position = $1
            """,
            [events[1].globalPosition])
        var broken = try #require(try await fixture.store.firstBrokenEvent())
        // ...and the next event's link gives it away.
        #expect(broken.version == 3)
        #expect(broken.problem.contains("link"))

        try await owner.query("DELETE FROM events WHERE global_position >= $1", [events[1].globalPosition])
        try await owner.query("DELETE FROM events WHERE global_position = $1", [events[0].globalPosition])
        _ = try await fixture.store.append(request("z", expected: .noStream, events: 2))
        try await owner.query("DELETE FROM events WHERE stream_id = 'z' AND stream_version = 1")
        try await owner.executeScript("ALTER TABLE events ENABLE TRIGGER USER")
        broken = try #require(try await fixture.store.firstBrokenEvent())
        #expect(broken.stream == "z" && broken.version == 2)
        #expect(broken.problem.contains("expected"))
    }
}
