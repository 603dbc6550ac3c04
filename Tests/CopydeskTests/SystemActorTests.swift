import Copydesk
import Editorial
import EventStore
import Foundation
import Postgres
import Testing
import TestSupport

@Suite("System actors cannot be impersonated")
struct SystemActorTests {
    @Test("user add scheduler is refused with exit 5, naming the reservation; nothing is added")
    func reservedName() async throws {
        let fixture = try await WorkflowFixture()
        let cli = CLI(databaseURL: fixture.database.ownerConninfo)
        let added = try cli("user", "add", "scheduler", "--role", "admin")
        #expect(added.status == 5)
        #expect(added.stdout.isEmpty)
        #expect(added.stderr.contains("\"scheduler\" is reserved"))
        #expect(try !cli("user", "list").stdout.contains("scheduler"))
    }

    @Test("a user row named scheduler from before the reservation can neither sign in nor act")
    func existingRowIsInert() async throws {
        let fixture = try await WorkflowFixture()
        let token = try await fixture.app.users.add(name: "sched", role: .admin)
        _ = try await fixture.database.servicePool().withConnection { connection in
            try await connection.query("UPDATE users SET name = 'scheduler' WHERE name = 'sched'")
            try await connection.query("UPDATE user_tokens SET user_name = 'scheduler' WHERE user_name = 'sched'")
        }
        #expect(try await fixture.app.users.actor(forToken: token) == nil)
        let cli = CLI(databaseURL: fixture.database.ownerConninfo)
        let drafted = try cli("draft", "--title", "Forged", user: "scheduler")
        #expect(drafted.status == 5)
        #expect(drafted.stderr.contains("reserved"))
        #expect(try await fixture.eventCount() == 0)
    }

    @Test("a scheduled publication reads as the system's in history and audit, in every format; people's steps do not")
    func systemMarked() async throws {
        let fixture = try await WorkflowFixture()
        let id = try await SchedulerTests.scheduled(
            fixture, at: Date.now.addingTimeInterval(-60), commandsIssuedAgo: 3600)
        #expect(try await Scheduler(commands: fixture.app.commands).publishDue().map(\.article) == [id])

        let events = try await fixture.app.store.readStream(ArticleStream.name(for: id))
        #expect(events.map(\.metadata.actorKind) == [.person, .person, .person, .person, .system])

        let history = try await fixture.app.queries.history(id)
        #expect(history.map(\.actorKind) == ["person", "person", "person", "person", "system"])

        let cli = CLI(databaseURL: fixture.database.ownerConninfo)
        let table = try cli("history", id.uuidString).stdout.split(separator: "\n").dropFirst()
        #expect(table.count == 5)
        #expect(table.last?.contains("[system] scheduler") == true)
        #expect(table.dropLast().allSatisfy { !$0.contains("[system]") })

        let json = try JSONSerialization.jsonObject(with: Data(try cli("history", id.uuidString, "--json").stdout.utf8))
        let kinds = (json as? [[String: Any]])?.map { $0["actorKind"] as? String }
        #expect(kinds == ["person", "person", "person", "person", "system"])

        let auditTable = try cli("audit", "--article", id.uuidString).stdout.split(separator: "\n").dropFirst()
        #expect(auditTable.last?.contains("[system] scheduler") == true)
        #expect(auditTable.dropLast().allSatisfy { !$0.contains("[system]") })

        let jsonl = try cli("audit", "--article", id.uuidString, "--format", "jsonl").stdout.split(separator: "\n")
        let lineKinds = try jsonl.map { line in
            (try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["actorKind"] as? String
        }
        #expect(lineKinds == ["person", "person", "person", "person", "system"])

        let csv = try CSVParser.parse(try cli("audit", "--article", id.uuidString, "--format", "csv").stdout)
        let column = try #require(csv.first?.firstIndex(of: "actor_kind"))
        #expect(csv.dropFirst().map { $0[column] } == ["person", "person", "person", "person", "system"])
    }

    @Test("old metadata without actorKind reads as person, except the scheduler's own publications")
    func legacyMetadata() throws {
        func decoded(_ actor: String, _ origin: String) throws -> ActorKind {
            let json = """
                {"actor":"\(actor)","commandId":"\(UUID().uuidString)","correlationId":"c","causationId":"c",\
                "origin":"\(origin)"}
                """
            return try JSONDecoder().decode(EventMetadata.self, from: Data(json.utf8)).actorKind
        }
        #expect(try decoded("scheduler", "scheduler") == .system)
        #expect(try decoded("scheduler", "cli") == .person)
        #expect(try decoded("carol", "http") == .person)
    }
}

@Suite("Migration 013: the audit log's actor kind")
struct ActorKindMigrationTests {
    @Test("rows from before 013 read as person, except the scheduler's own (origin scheduler), as replay reads them")
    func backfill() async throws {
        let database = try await TestDatabase.empty()
        let owner = try await Connection.connect(to: database.ownerConninfo)
        let before = FileManager.default.temporaryDirectory.appendingPathComponent("migrations-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: before, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: before) }
        for migration in try Migrator().migrations() where migration.fileName < "013" {
            let file = before.appendingPathComponent(migration.fileName)
            try migration.sql.write(to: file, atomically: true, encoding: .utf8)
        }
        _ = try await Migrator(directory: before).migrate(on: owner)
        let article = UUID()
        let rows = [(1, "scheduler", "cli"), (2, "carol", "scheduler"), (3, "scheduler", "scheduler")]
        for (version, actor, origin) in rows {
            _ = try await owner.query(
                """
                INSERT INTO audit_log (global_position, article_id, version, event_type, action, actor, at,
                                       status_after, changed, origin, command_id, correlation_id)
                VALUES ($1, $2, $1, 'ArticleEdited', 'edit', $3, now(), 'draft', '{}', $4, gen_random_uuid(), 'c')
                """,
                [Int64(version), article, actor, origin])
        }
        let applied = try await Migrator().migrate(on: owner)
        #expect(applied.applied.map(\.fileName).contains("013_audit_actor_kind.sql"))
        let kinds = try await owner.query("SELECT actor_kind FROM audit_log ORDER BY version").rows.map {
            try $0.decode(0, as: String.self)
        }
        #expect(kinds == ["person", "person", "system"])
        #expect(kinds.map { ActorKind(rawValue: $0) } == [
            EventMetadata.legacyKind(actor: "scheduler", origin: .cli),
            EventMetadata.legacyKind(actor: "carol", origin: .scheduler),
            EventMetadata.legacyKind(actor: "scheduler", origin: .scheduler),
        ])
        await owner.close()
    }
}
