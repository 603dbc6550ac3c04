import Copydesk
import Editorial
import Foundation
import Postgres
import TestSupport
import Testing

/// People are part of the history: every change to a user is an event, audited and replayed.
@Suite("Users as history")
struct UserHistoryTests {
    @Test("a role change is audited with its reason and actor, and takes effect at once")
    func roleChange() async throws {
        let fixture = try await WorkflowFixture()
        let cli = CLI(databaseURL: fixture.database.ownerConninfo)
        let changed = try cli("user", "role", "carol", "editor", "--reason", "moved to the night desk")
        #expect(changed.status == 0, "\(changed.stderr)")
        #expect(changed.stdout == "carol is now editor\n")
        #expect(try await fixture.app.users.actor(named: "carol").role == .editor)

        // The operator (here: root, the tests' login) is the actor; the reason is in the audit.
        let audit = try cli("audit", "--actor", AdministratorLogin.name, "--format", "jsonl")
        let records = try audit.stdout.split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
        let roleChange = try #require(records.first { $0["action"] as? String == "change-role" })
        #expect(roleChange["user"] as? String == "carol")
        #expect(roleChange["reason"] as? String == "moved to the night desk")
        #expect(roleChange["note"] as? String == "role publisher → editor")
        #expect(roleChange["articleId"] is NSNull)
        let table = try cli("audit", "--user", "carol")
        #expect(table.stdout.contains("user carol"))
        #expect(table.stdout.contains("change-role"))
        #expect(table.stdout.contains("reason: moved to the night desk"))

        let missingReason = try cli("user", "role", "carol", "publisher", "--reason", "  ")
        #expect(missingReason.status == 2)
        #expect(missingReason.stderr.contains("needs a reason"))
        let same = try cli("user", "role", "carol", "editor", "--reason", "again")
        #expect(same.status == 2)
        #expect(same.stderr.contains("carol is already editor"))
        let nobody = try cli("user", "role", "mallory", "editor", "--reason", "x")
        #expect(nobody.status == 4)
    }

    @Test("only an admin manages users: --as an editor is refused, --as an admin is recorded")
    func onlyAdmins() async throws {
        let fixture = try await WorkflowFixture()
        _ = try await fixture.app.users.add(name: "ada", role: .admin)
        let cli = CLI(databaseURL: fixture.database.ownerConninfo)
        let refused = try cli("user", "disable", "alice", "--reason", "x", user: "bob")
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("only an admin manages users"))
        #expect(try await fixture.app.users.account(named: "alice")?.isDisabled == false)

        let disabled = try cli("user", "disable", "alice", "--reason", "left the paper", user: "ada")
        #expect(disabled.status == 0, "\(disabled.stderr)")
        let own = try cli("user", "disable", "ada", "--reason", "oops", user: "ada")
        #expect(own.status == 2)
        #expect(own.stderr.contains("cannot disable themselves"))
        let rows = try await fixture.database.servicePool().withConnection { connection in
            try await connection.query(
                "SELECT actor, action, reason FROM audit_log WHERE user_name = 'alice' ORDER BY global_position")
                .rows.map { [try $0.decode(0, as: String.self), try $0.decode(1, as: String.self),
                             try $0.decodeIfPresent(2, as: String.self) ?? ""] }
        }
        #expect(rows == [
            ["root", "add-user", ""], ["root", "issue-token", ""], ["ada", "disable-user", "left the paper"],
        ])
    }

    @Test("a disabled user's token and name stop working; enabling restores them")
    func disableAndEnable() async throws {
        let fixture = try await WorkflowFixture()
        let token = try await fixture.app.users.add(name: "erin", role: .editor)
        #expect(try await fixture.app.users.actor(forToken: token)?.name == "erin")
        _ = try await fixture.app.users.disable("erin", reason: "on leave", by: .testOperator, origin: .cli)
        #expect(try await fixture.app.users.actor(forToken: token) == nil)

        let cli = CLI(databaseURL: fixture.database.ownerConninfo)
        let acting = try cli("draft", "--title", "While away", user: "erin")
        #expect(acting.status == 2)
        #expect(acting.stderr.contains("erin is disabled"))
        let listed = try cli("user", "list")
        #expect(listed.stdout.contains("erin   editor     disabled"))

        _ = try await fixture.app.users.enable("erin", reason: nil, by: .testOperator, origin: .cli)
        #expect(try await fixture.app.users.actor(forToken: token)?.name == "erin")
        let again = try cli("user", "enable", "erin")
        #expect(again.status == 2)
        #expect(again.stderr.contains("erin is not disabled"))
    }

    @Test("a new token with --revoke-others ends the old one; a token is revoked by its id")
    func tokens() async throws {
        let fixture = try await WorkflowFixture()
        let first = try await fixture.app.users.add(name: "erin", role: .editor)
        let cli = CLI(databaseURL: fixture.database.ownerConninfo)
        let second = try cli("user", "token", "erin").stdout.trimmingCharacters(in: .newlines)
        #expect(try await fixture.app.users.actor(forToken: first)?.name == "erin")
        #expect(try await fixture.app.users.actor(forToken: second)?.name == "erin")

        let third = try cli("user", "token", "erin", "--revoke-others").stdout.trimmingCharacters(in: .newlines)
        #expect(try await fixture.app.users.actor(forToken: first) == nil)
        #expect(try await fixture.app.users.actor(forToken: second) == nil)
        #expect(try await fixture.app.users.actor(forToken: third)?.name == "erin")

        let thirdId = String(third.split(separator: "_")[1])
        let revoked = try cli("user", "revoke", "erin", thirdId, "--reason", "laptop stolen")
        #expect(revoked.status == 0, "\(revoked.stderr)")
        #expect(try await fixture.app.users.actor(forToken: third) == nil)
        let unknown = try cli("user", "revoke", "erin", thirdId)
        #expect(unknown.status == 5)
        #expect(unknown.stderr.contains("no working token"))
        // Revoked tokens' hashes are gone; their ids stay in the history.
        let remaining = try await fixture.database.servicePool().withConnection { connection in
            try await connection.query("SELECT count(*)::int FROM user_tokens WHERE user_name = 'erin'").first!
                .decode(0, as: Int.self)
        }
        #expect(remaining == 0)
        let history = try cli("audit", "--user", "erin", "--format", "csv").stdout
        // The header; added, token; token; two revoked and a new token; revoked.
        let rows = history.split(separator: "\r\n").count
        #expect(rows == 8)
    }

    @Test("replay rebuilds the users projection exactly; verify covers user streams")
    func replayAndVerify() async throws {
        let fixture = try await WorkflowFixture()
        let cli = CLI(databaseURL: fixture.database.ownerConninfo)
        #expect(try cli("user", "role", "carol", "admin", "--reason", "new managing editor").status == 0)
        #expect(try cli("user", "disable", "dave", "--reason", "left").status == 0)
        #expect(try cli("user", "token", "bob", "--revoke-others").status == 0)
        let verified = try cli("replay", "--verify")
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")

        let before = try await UserHistoryTests.users(fixture)
        let replayed = try cli("replay")
        #expect(replayed.status == 0, "\(replayed.stderr)")
        #expect(try await UserHistoryTests.users(fixture) == before)
        #expect(try await fixture.app.users.actor(named: "carol").role == .admin)

        // Tampering with a user's event is caught like an article's.
        let owner = try await Connection.connect(to: fixture.database.ownerConninfo)
        try await owner.executeScript("ALTER TABLE events DISABLE TRIGGER USER")
        try await owner.executeScript(
            "UPDATE events SET data = jsonb_set(data, '{to}', '\"author\"') WHERE stream_id = 'user-carol' AND event_type = 'UserRoleChanged'")
        try await owner.executeScript("ALTER TABLE events ENABLE TRIGGER USER")
        await owner.close()
        let tampered = try cli("verify")
        #expect(tampered.status == 8)
        #expect(tampered.stdout.contains("user-carol") || tampered.stderr.contains("user-carol"))
    }

    @Test("users added before they were events get their history from the migration, and their tokens still work")
    func migratedUsers() async throws {
        let all = try Migrator().migrations()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("copydesk-before-014-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for migration in all where migration.version < 14 {
            try migration.sql.write(to: directory.appendingPathComponent(migration.fileName), atomically: true, encoding: .utf8)
        }
        let database = try await TestDatabase.empty()
        let owner = try await Connection.connect(to: database.ownerConninfo)
        _ = try await Migrator(directory: directory).migrate(on: owner)
        // As UserDirectory.add wrote users before they were events.
        let secret = String(repeating: "0123456789abcdef", count: 4)
        try await owner.query(
            """
            INSERT INTO users (name, role, token_selector, token_hash, created_at)
            VALUES ('frank', 'editor', '00112233aabbccdd', sha256(convert_to($1, 'UTF8')), '2026-01-02 03:04:05.678901+00')
            """,
            [secret])
        let outcome = try await Migrator().migrate(on: owner)
        #expect(outcome.applied.map(\.version).first == 14)
        await owner.close()

        let app = CopydeskApp(pool: database.servicePool())
        #expect(try await app.users.actor(forToken: "cd_00112233aabbccdd_\(secret)") == Actor(name: "frank", role: .editor))
        let cli = CLI(databaseURL: database.ownerConninfo)
        let audit = try cli("audit", "--user", "frank", "--format", "csv").stdout.split(separator: "\r\n")
        #expect(audit.count == 3)
        #expect(audit[1].contains("2026-01-02T03:04:05.678Z,migration,,1,add-user,UserAdded"))
        #expect(audit[1].hasSuffix(",system,frank"))
        let replayVerify = try cli("replay", "--verify")
        #expect(replayVerify.status == 0, "\(replayVerify.stdout)\(replayVerify.stderr)")
        let verify = try cli("verify")
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }

    static func users(_ fixture: WorkflowFixture) async throws -> [String] {
        try await fixture.database.servicePool().withConnection { connection in
            try await connection.query("SELECT to_jsonb(u)::text FROM users u ORDER BY name").rows
                .map { try $0.decode(0, as: String.self) }
        }
    }
}

/// The login name `copydesk user ...` records when no `--as` is given, as the CLI works it out.
enum AdministratorLogin {
    static var name: String {
        let environment = ProcessInfo.processInfo.environment
        if let sudoUser = environment["SUDO_USER"], !sudoUser.isEmpty { return sudoUser }
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return environment["USER"] ?? "operator"
    }
}
