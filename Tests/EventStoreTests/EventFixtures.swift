import EventStore
import Foundation
import Postgres
import TestSupport

/// A store on a fresh migrated database, used as the service uses it (restricted role).
struct StoreFixture {
    let database: TestDatabase
    let store: EventStore

    /// The whole log once it holds `count` events: the gap-safe log shows a transaction only when
    /// every older one in the cluster has ended, and another test may hold one open on purpose.
    func readAll(waitingFor count: Int) async throws -> [RecordedEvent] {
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            let all = try await store.readAll()
            if all.count >= count || ContinuousClock.now > deadline { return all }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    init() async throws {
        database = try await TestDatabase.migrated()
        store = EventStore(pool: database.servicePool())
    }

    /// An owner connection, to look underneath the store.
    func owner() async throws -> Connection { try await Connection.connect(to: database.ownerConninfo) }

    func count(_ sql: String, _ parameters: [(any PostgresEncodable)?] = []) async throws -> Int {
        let connection = try await owner()
        return try await connection.query(sql, parameters).first!.decode(0, as: Int.self)
    }
}

func request(
    _ stream: String, expected: ExpectedVersion, events count: Int = 1, commandId: UUID = UUID(),
    actor: String = "alice"
) -> AppendRequest {
    AppendRequest(
        stream: stream, expectedVersion: expected,
        events: (0..<count).map { index in
            NewEvent(type: "Noted", data: #"{"index": \#(index), "text": "Асхад «quoted» 🗞️"}"#)
        },
        metadata: EventMetadata(actor: actor, commandId: commandId, origin: .cli))
}
