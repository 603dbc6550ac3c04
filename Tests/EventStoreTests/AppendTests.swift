import EventStore
import Foundation
import Postgres
import Testing

@Suite("Appending: expected versions, conflicts, idempotency")
struct AppendTests {
    @Test("events append with contiguous versions and read back with their metadata")
    func appendAndRead() async throws {
        let fixture = try await StoreFixture()
        let first = try await fixture.store.append(request("article-1", expected: .noStream, events: 2))
        #expect(first.firstVersion == 1 && first.lastVersion == 2 && !first.wasDuplicate)
        let second = try await fixture.store.append(request("article-1", expected: .exactly(2), actor: "bob"))
        #expect(second.firstVersion == 3 && second.lastVersion == 3)
        #expect(second.firstPosition > first.lastPosition)
        #expect(first.positions.count == 2 && first.positions.first == first.firstPosition)
        #expect(first.positions.last == first.lastPosition)

        let events = try await fixture.store.readStream("article-1")
        #expect(events.map(\.streamVersion) == [1, 2, 3])
        #expect(events.map(\.metadata.actor) == ["alice", "alice", "bob"])
        #expect(events[0].metadata.origin == .cli)
        #expect(events[0].data.contains("Асхад «quoted» 🗞️"))
        #expect(try await fixture.store.readStream("article-1", from: 3).map(\.streamVersion) == [3])
        #expect(try await fixture.store.readStream("no-such-article").isEmpty)
    }

    @Test("every metadata field is stored and read back exactly, quotes, backslashes and all")
    func metadataRoundTrip() async throws {
        let fixture = try await StoreFixture()
        let metadata = EventMetadata(
            actor: "o'brien", commandId: UUID(), correlationId: "req \"42\" \\ Ω\n", causationId: "cause\t1",
            origin: .http)
        var append = request("meta-1", expected: .noStream)
        append.metadata = metadata
        _ = try await fixture.store.append(append)
        #expect(try await fixture.store.readStream("meta-1").first?.metadata == metadata)
    }

    @Test("a stale expected version is a conflict naming the actual version, and writes nothing")
    func staleVersion() async throws {
        let fixture = try await StoreFixture()
        _ = try await fixture.store.append(request("a", expected: .noStream, events: 3))
        for stale in [ExpectedVersion.noStream, .exactly(1), .exactly(7)] {
            let error = await #expect(throws: EventStoreError.self) {
                try await fixture.store.append(request("a", expected: stale))
            }
            #expect(error == .versionConflict(stream: "a", expected: stale, actual: 3))
        }
        let missing = await #expect(throws: EventStoreError.self) {
            try await fixture.store.append(request("b", expected: .exactly(1)))
        }
        #expect(missing == .versionConflict(stream: "b", expected: .exactly(1), actual: 0))
        #expect(try await fixture.count("SELECT count(*)::int FROM events") == 3)
        #expect(try await fixture.count("SELECT count(*)::int FROM commands") == 1)
    }

    @Test("16 concurrent appends at one expected version: 1 winner, 15 conflicts, no trace of the losers")
    func concurrentAppends() async throws {
        let fixture = try await StoreFixture()
        let store = EventStore(pool: fixture.database.servicePool(maximumConnections: 16))
        _ = try await store.append(request("contested", expected: .noStream))

        let outcomes = await withTaskGroup(of: Result<AppendResult, any Error>.self) { group in
            for _ in 0..<16 {
                group.addTask {
                    do { return .success(try await store.append(request("contested", expected: .exactly(1), events: 2))) }
                    catch { return .failure(error) }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let winners = outcomes.compactMap { try? $0.get() }
        let conflicts = outcomes.compactMap { outcome -> EventStoreError? in
            if case .failure(let error as EventStoreError) = outcome { return error }
            return nil
        }
        #expect(winners.count == 1)
        #expect(conflicts.count == 15)
        #expect(conflicts.allSatisfy { $0 == .versionConflict(stream: "contested", expected: .exactly(1), actual: 3) })

        let versions = try await store.readStream("contested").map(\.streamVersion)
        #expect(versions == [1, 2, 3])
        // Losers drew no global position: the sequence is exactly at the last event.
        let owner = try await fixture.owner()
        let positions = try await owner.query(
            """
            SELECT (SELECT last_value FROM events_global_position_seq) AS sequence,
                   max(global_position) AS last, count(*) AS rows FROM events
            """
        ).first!
        #expect(try positions.decode("sequence", as: Int64.self) == 3)
        #expect(try positions.decode("last", as: Int64.self) == 3)
        #expect(try positions.decode("rows", as: Int64.self) == 3)
    }

    @Test("a retried command id returns the first result and writes nothing")
    func idempotentRetry() async throws {
        let fixture = try await StoreFixture()
        let command = UUID()
        let first = try await fixture.store.append(request("story", expected: .noStream, events: 2, commandId: command))
        // Even with a now-stale expected version, the retry is recognised as the same command.
        let retry = try await fixture.store.append(request("story", expected: .noStream, events: 2, commandId: command))
        #expect(retry.wasDuplicate)
        #expect(retry.firstVersion == first.firstVersion && retry.lastVersion == first.lastVersion)
        #expect(retry.firstPosition == first.firstPosition && retry.lastPosition == first.lastPosition)
        #expect(try await fixture.count("SELECT count(*)::int FROM events") == 2)
    }

    @Test("the same command sent 8 times at once is written once")
    func concurrentRetries() async throws {
        let fixture = try await StoreFixture()
        let store = EventStore(pool: fixture.database.servicePool(maximumConnections: 8))
        let command = UUID()
        let results = try await withThrowingTaskGroup(of: AppendResult.self) { group in
            for _ in 0..<8 { group.addTask { try await store.append(request("once", expected: .any, commandId: command)) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.filter { !$0.wasDuplicate }.count == 1)
        #expect(Set(results.map(\.lastPosition)).count == 1)
        #expect(try await fixture.count("SELECT count(*)::int FROM events") == 1)
    }

    @Test("malformed appends are refused before anything is written")
    func malformed() async throws {
        let fixture = try await StoreFixture()
        var empty = request("x", expected: .any)
        empty.events = []
        await #expect(throws: EventStoreError.self) { try await fixture.store.append(empty) }
        var injected = request("x", expected: .any)
        injected.events[0].data = #"1},{"id":"00000000-0000-0000-0000-000000000001","type":"Forged","data":2,"metadata":{}"#
        await #expect(throws: EventStoreError.self) { try await fixture.store.append(injected) }
        #expect(try await fixture.count("SELECT count(*)::int FROM events") == 0)
    }

    @Test("a batch appends to many streams in one go, or to none when one of them conflicts")
    func batch() async throws {
        let fixture = try await StoreFixture()
        let results = try await fixture.store.append(batch: [
            request("b1", expected: .noStream, events: 2),
            request("b2", expected: .noStream),
            request("b3", expected: .noStream, events: 3),
        ])
        #expect(results.map(\.stream) == ["b1", "b2", "b3"])
        #expect(results.map(\.lastVersion) == [2, 1, 3])
        #expect(results[0].lastPosition < results[1].firstPosition)

        let error = await #expect(throws: EventStoreError.self) {
            try await fixture.store.append(batch: [
                request("b4", expected: .noStream),
                request("b2", expected: .noStream),
            ])
        }
        #expect(error == .versionConflict(stream: "b2", expected: .noStream, actual: 1))
        #expect(try await fixture.store.readStream("b4").isEmpty)
        #expect(try await fixture.count("SELECT count(*)::int FROM events") == 6)
    }
}
