import EventStore
import Foundation
import Postgres
import Testing

/// libpq 15 kept single-row mode into the next pipeline on a connection that had streamed rows,
/// so after an audit export a command on the same pooled connection failed as "lost the connection".
@Suite("A connection that streamed rows then runs a pipeline")
struct StreamingThenPipelineTests {
    @Test("an append on a pooled connection that just streamed rows (forEachRow) succeeds")
    func streamThenAppend() async throws {
        let fixture = try await StoreFixture()
        let pool = fixture.store.pool
        for round in 0..<3 {
            _ = try await fixture.store.append(request("s-\(round)", expected: .noStream, events: 2))
            let count = try await pool.withConnection { connection in
                try await connection.perform { connection in
                    var count = 0
                    try connection.forEachRow("SELECT generate_series(1, 50)") { _ in count += 1 }
                    return count
                }
            }
            #expect(count == 50)
        }
        _ = try await fixture.store.append(request("after", expected: .noStream, events: 2))
        #expect(try await fixture.store.readStream("after").count == 2)
    }
}
