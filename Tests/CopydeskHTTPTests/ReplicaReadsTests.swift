import Copydesk
import CopydeskHTTP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LocalPostgres
import Postgres
import TestSupport
import Testing

/// Queries served by a real streaming replica (`pg_basebackup`, hot standby), commands by the
/// primary: a reader always sees their own writes, whatever the replica's lag.
@Suite("Reads from a streaming replica")
struct ReplicaReadsTests {
    @Test("a read after a write sees it while the replica's replay is paused; a replica down sends reads to the primary")
    func readYourWrites() async throws {
        // Private clusters: a standby of the shared one would copy every suite's databases.
        let root = TestCluster.privateDirectory("replica")
        let primary = LocalCluster(dataDirectory: root.appendingPathComponent("primary"))
        let standby = LocalCluster(dataDirectory: root.appendingPathComponent("standby"))
        defer {
            try? standby.stop(.immediate)
            try? primary.stop(.immediate)
            try? FileManager.default.removeItem(at: root)
        }
        try await primary.start()
        let owner = try await Connection.connect(to: primary.connectionURL())
        _ = try await Migrator().migrate(on: owner)
        await owner.close()
        try await standby.createAsStandby(of: primary)
        try await standby.start()

        func servicePool(_ cluster: LocalCluster) -> ConnectionPool {
            ConnectionPool(.init(
                conninfo: cluster.connectionURL(), maximumConnections: 4,
                setupScript: "SET ROLE \(DatabaseConfiguration.serviceRole)"))
        }
        let replica = ReplicaPool(pool: servicePool(standby), retryAfter: .milliseconds(200))
        let app = CopydeskApp(pool: servicePool(primary), replica: replica)
        let token = try await app.users.add(name: "alice", role: .author)
        let standbyOwner = try await Connection.connect(to: standby.connectionURL())
        let application = buildApplication(app: app, configuration: .init(), logger: quietLogger, runScheduler: false)

        try await application.test(.router) { client in
            let ready = try await client.send(.get, "/readyz", token: nil)
            #expect(ready.object["reads"] as? String == "replica", "\(ready.text)")

            let (id, drafted) = try await client.draft(token: token, title: "Первая версия")
            let draftPosition = try #require(drafted.headers[.copydeskPosition], "a command's response says where it committed")
            // The replica catches up; a read that brings the position is then served there.
            let caughtUp = await eventually(timeout: .seconds(20)) {
                let response = try? await client.send(
                    .get, "/articles/\(id)", token: token, headers: [.copydeskPosition: draftPosition])
                return response?.object["title"] as? String == "Первая версия"
            }
            #expect(caughtUp)
            let servedBefore = replica.counts[.served] ?? 0

            // The replica stops replaying: it lags behind every write from now on.
            _ = try await standbyOwner.query("SELECT pg_wal_replay_pause()")
            let edited = try await client.send(
                .patch, "/articles/\(id)", token: token, json: #"{"title": "Вторая версия"}"#)
            #expect(edited.status == .ok, "\(edited.text)")
            let editPosition = try #require(edited.headers[.copydeskPosition])
            #expect(try #require(WALPosition(editPosition)) > #require(WALPosition(draftPosition)))

            // Without the position the (lagging) replica answers: reads really go there.
            let stale = try await client.send(.get, "/articles/\(id)", token: token)
            #expect(stale.object["title"] as? String == "Первая версия")
            #expect((replica.counts[.served] ?? 0) > servedBefore)
            // With it, the reader sees their write: the replica is waited for, then the primary answers.
            let own = try await client.send(.get, "/articles/\(id)", token: token, headers: [.copydeskPosition: editPosition])
            #expect(own.object["title"] as? String == "Вторая версия", "\(own.text)")
            #expect((replica.counts[.behind] ?? 0) >= 1)
            let history = try await client.send(
                .get, "/articles/\(id)/history", token: token, headers: [.copydeskPosition: editPosition])
            #expect(history.text.contains("\"ArticleEdited\""), "\(history.text)")

            // A position that is not one is a clear 400, not a silent stale read.
            expectProblem(
                try await client.send(.get, "/articles/\(id)", token: token, headers: [.copydeskPosition: "latest"]),
                .badRequest, "a malformed position")

            // Replay resumes: the replica serves the reader's position again.
            _ = try await standbyOwner.query("SELECT pg_wal_replay_resume()")
            let resumed = await eventually(timeout: .seconds(20)) {
                let before = replica.counts[.served] ?? 0
                let response = try? await client.send(
                    .get, "/articles/\(id)", token: token, headers: [.copydeskPosition: editPosition])
                return response?.object["title"] as? String == "Вторая версия" && (replica.counts[.served] ?? 0) > before
            }
            #expect(resumed)

            // The replica goes down: reads go to the primary, and /readyz says so.
            await standbyOwner.close()
            try standby.stop(.immediate)
            let whileDown = try await client.send(.get, "/articles/\(id)", token: token)
            #expect(whileDown.status == .ok, "\(whileDown.text)")
            #expect(whileDown.object["title"] as? String == "Вторая версия")
            let readiness = try await client.send(.get, "/readyz", token: nil)
            #expect(readiness.status == .ok)
            #expect(readiness.object["reads"] as? String == "primary", "\(readiness.text)")
            #expect((readiness.object["replica"] as? String)?.hasPrefix("unavailable") == true)
            // And back once it is.
            try await standby.start()
            let back = await eventually(timeout: .seconds(20)) {
                (try? await client.send(.get, "/readyz", token: nil))?.object["reads"] as? String == "replica"
            }
            #expect(back)
        }
        await app.pool.shutdown()
        await replica.pool.shutdown()
    }
}

extension ReplicaReadsTests {
    @Test("the desk remembers the position of a browser's last command in a cookie, and brings it to the next page")
    func deskRemembersPosition() async throws {
        let fixture = try await HTTPFixture()
        try await fixture.setDeskPasswords()
        try await fixture.application().test(.router) { client in
            var browser = DeskBrowser(client)
            try await browser.signIn("alice")
            let fields = [
                "title": "Harbour reopens", "lead": "", "body": "", "section": "City", "tags": "",
                "csrf": try await browser.csrf(on: "/desk/articles/new"),
            ]
            let created = try await browser.postForm("/desk/articles", fields)
            #expect(created.status == .seeOther)
            let cookie = try #require(
                created.headers[values: .setCookie].first { $0.hasPrefix("copydesk_position=") },
                "the command's answer sets the position cookie")
            let value = String(cookie.dropFirst("copydesk_position=".count).prefix { $0 != ";" })
            #expect(WALPosition(value) != nil, "\(cookie)")
            #expect(cookie.contains("HttpOnly") && cookie.contains("Path=/desk"))
            // A page that only reads sets no new one.
            #expect(!(try await browser.get("/desk").headers[values: .setCookie].contains { $0.hasPrefix("copydesk_position=") }))
        }
    }
}

extension HTTPField.Name {
    static let copydeskPosition = Self("Copydesk-Position")!
}
