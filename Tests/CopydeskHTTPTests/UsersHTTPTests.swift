import Copydesk
import CopydeskHTTP
import Editorial
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TestSupport

/// Users over HTTP, for admins, and revocation that bites on every node.
@Suite("Users over HTTP and revocation")
struct UsersHTTPTests {
    @Test("an admin adds a user, changes their role with a reason, disables them; others are refused")
    func administration() async throws {
        let fixture = try await HTTPFixture()
        let admin = try await fixture.app.users.add(name: "ada", role: .admin)
        try await fixture.application().test(.router) { client in
            let added = try await client.send(.post, "/users", token: admin, json: #"{"name": "zoe", "role": "author"}"#)
            #expect(added.status == .created)
            let body = try #require(try JSONSerialization.jsonObject(with: Data(buffer: added.body)) as? [String: Any])
            let token = try #require(body["token"] as? String)
            #expect(body["role"] as? String == "author")
            #expect(try await client.send(.get, "/articles", token: token).status == .ok)

            let promoted = try await client.send(
                .post, "/users/zoe/role", token: admin, json: #"{"role": "editor", "reason": "joined the desk"}"#)
            #expect(promoted.status == .ok)
            // The new role applies from the next request: zoe, now an editor, reads the audit export.
            #expect(try await client.send(.get, "/audit", token: token).status == .ok)

            let listed = try await client.send(.get, "/users", token: admin)
            #expect(listed.status == .ok)
            #expect(String(buffer: listed.body).contains(#""name":"zoe""#))
            #expect(try await client.send(.get, "/users", token: fixture.token("carol")).status == .forbidden)
            let byEditor = try await client.send(
                .post, "/users/zoe/disable", token: fixture.token("bob"), json: #"{"reason": "no"}"#)
            #expect(byEditor.status == .forbidden)
            #expect(try await client.send(.post, "/users/zoe/disable", token: admin, json: #"{"reason": " "}"#).status
                == .unprocessableContent)
            // A NUL cannot be stored (jsonb refuses it): refused as the domain words it, not a 500.
            let nul = try await client.send(.post, "/users/zoe/disable", token: admin, json: #"{"reason": "a\u0000b"}"#)
            #expect(nul.status == .unprocessableContent)
            #expect(nul.text.contains("NUL"))
            #expect(try await client.send(.post, "/users/nobody/disable", token: admin, json: #"{"reason": "x"}"#).status
                == .notFound)
            #expect(try await client.send(.post, "/users", token: admin, json: #"{"name": "scheduler", "role": "admin"}"#)
                .status == .unprocessableContent)

            let disabled = try await client.send(.post, "/users/zoe/disable", token: admin, json: #"{"reason": "left"}"#)
            #expect(disabled.status == .ok)
            // Refused on the very next request on this node, though the token was cached a moment ago.
            #expect(try await client.send(.get, "/articles", token: token).status == .unauthorized)
            #expect(try await client.send(.post, "/users/zoe/disable", token: admin, json: #"{"reason": "x"}"#).status
                == .conflict)
        }
        let audit = try await fixture.app.queries.audit(AuditFilter(user: "zoe")).reduce(into: []) { $0.append($1) }
        #expect(audit.map(\.action) == ["add-user", "issue-token", "change-role", "disable-user"])
        #expect(audit.map(\.actor) == ["ada", "ada", "ada", "ada"])
        #expect(audit[2].reason == "joined the desk")
        #expect(audit.allSatisfy { $0.origin == "http" })
    }

    @Test("a token revoked on one node is refused on another within 2 seconds, and that user's feed ends")
    func revocationReachesEveryNode() async throws {
        let fixture = try await HTTPFixture(feedPollInterval: .milliseconds(500))
        let bob = fixture.token("bob")
        // Node B: a second server on the same database, with its own token cache.
        try await fixture.application().test(.live) { nodeB in
            let port = try #require(nodeB.port)
            // B has verified bob's token, so it is in B's cache.
            #expect(try await nodeB.send(.get, "/articles", token: bob).status == .ok)
            let feed = try SSEClient(
                port: port, path: "/events", headers: ["Authorization": "Bearer \(bob)", "Accept": "text/event-stream"])
            defer { feed.close() }
            try await feed.waitForHead(timeout: .seconds(10))
            #expect(feed.status == 200)

            // Node A (here: the CLI, another process) disables bob.
            let cli = CLI(databaseURL: fixture.database.ownerConninfo)
            let disabled = try cli("user", "disable", "bob", "--reason", "account compromised")
            #expect(disabled.status == 0, "\(disabled.stderr)")
            let clock = ContinuousClock()
            let start = clock.now
            var refused = false
            while clock.now - start < .seconds(2) {
                if try await nodeB.send(.get, "/articles", token: bob).status == .unauthorized {
                    refused = true
                    break
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(refused, "node B still accepted a disabled user's token 2 s later")
            #expect(await feed.waitForEnd(timeout: .seconds(2)), "bob's event stream on node B did not end")
            // Others are unaffected.
            #expect(try await nodeB.send(.get, "/articles", token: fixture.token("dave")).status == .ok)
        }
    }
}
