import EventStore
import Foundation
import Postgres
import Testing

@Suite("The events table is append-only, enforced by the database")
struct AppendOnlyTests {
    @Test("UPDATE, DELETE and TRUNCATE fail for the service role and for the owner; rows stay intact")
    func rewritesFail() async throws {
        let fixture = try await StoreFixture()
        _ = try await fixture.store.append(request("kept", expected: .noStream, events: 3))
        let before = try await fixture.store.readStream("kept")

        let owner = try await fixture.owner()
        let service = try await fixture.database.servicePool().openDedicatedConnection()
        let rewrites = [
            "UPDATE events SET data = '{}'::jsonb",
            "DELETE FROM events",
            "TRUNCATE events",
        ]
        for statement in rewrites {
            let asService = await #expect(throws: PostgresError.self) { try await service.query(statement) }
            #expect(asService?.code == .insufficientPrivilege, "\(statement) as copydesk_service")

            let asOwner = await #expect(throws: PostgresError.self) { try await owner.query(statement) }
            #expect(asOwner?.code == SQLState(rawValue: "CD001"), "\(statement) as owner")
            #expect(asOwner?.message.contains("append-only") == true)
        }
        #expect(try await fixture.store.readStream("kept") == before)
    }

    @Test("the service role can append and read, but cannot touch the migration record")
    func servicePrivileges() async throws {
        let fixture = try await StoreFixture()
        let service = try await fixture.database.servicePool().openDedicatedConnection()
        let role = try await service.query("SELECT current_user").first?.decode(0, as: String.self)
        #expect(role == "copydesk_service")
        let error = await #expect(throws: PostgresError.self) {
            try await service.query("DELETE FROM schema_migrations")
        }
        #expect(error?.code == .insufficientPrivilege)
    }
}
