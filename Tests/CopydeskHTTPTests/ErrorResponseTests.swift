import Copydesk
import CopydeskHTTP
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Postgres
import HummingbirdTesting
import Testing
import TestSupport

/// Every refusal is problem+json with a status a client can act on, and writes nothing.
@Suite("HTTP acceptance: error responses")
struct ErrorResponseTests {
    /// Runs `request` and checks it is the problem `status` and that the event count did not change.
    @discardableResult
    static func refused(
        _ fixture: HTTPFixture, _ status: HTTPResponse.Status, _ what: String,
        sourceLocation: SourceLocation = #_sourceLocation, _ request: () async throws -> TestResponse
    ) async throws -> [String: Any] {
        let before = try await fixture.eventCount()
        let response = try await request()
        let problem = expectProblem(response, status, what, sourceLocation: sourceLocation)
        let after = try await fixture.eventCount()
        #expect(after == before, "\(what) wrote \(after - before) event(s)", sourceLocation: sourceLocation)
        return problem
    }

    @Test("401 without a token or with a bad one")
    func unauthorized() async throws {
        let fixture = try await HTTPFixture()
        try await fixture.application().test(.router) { client in
            let (id, _) = try await client.draft(token: fixture.token("alice"), title: "Заметка")
            try await Self.refused(fixture, .unauthorized, "GET without token") {
                try await client.send(.get, "/articles", token: nil)
            }
            try await Self.refused(fixture, .unauthorized, "draft without token") {
                try await client.send(.post, "/articles", token: nil, json: #"{"title": "Без токена"}"#)
            }
            try await Self.refused(fixture, .unauthorized, "submit with a bad token") {
                try await client.send(.post, "/articles/\(id)/submit", token: "not-a-real-token")
            }
            try await Self.refused(fixture, .unauthorized, "non-bearer scheme") {
                try await client.send(.get, "/articles", token: nil, headers: [.authorization: "Basic YWxpY2U6eA=="])
            }
            let response = try await client.send(.get, "/articles/\(id)", token: "bad")
            #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
        }
    }

    @Test("403 for a role too low and for four-eyes, with the article's state and allowed commands")
    func forbidden() async throws {
        let fixture = try await HTTPFixture()
        try await fixture.application().test(.router) { client in
            let (id, _) = try await client.draft(token: fixture.token("alice"), title: "Выборы", body: "Текст статьи.")
            #expect(try await client.send(.post, "/articles/\(id)/submit", token: fixture.token("alice")).status == .ok)

            let role = try await Self.refused(fixture, .forbidden, "alice approving") {
                try await client.send(.post, "/articles/\(id)/approve", token: fixture.token("alice"))
            }
            expectRefusal(role, state: "in_review")

            // bob edits the revision under review, so he may not approve it.
            let edited = try await client.send(
                .patch, "/articles/\(id)", token: fixture.token("bob"), json: #"{"body": "Текст статьи, исправленный."}"#)
            #expect(edited.status == .ok, "\(edited.text)")
            let fourEyes = try await Self.refused(fixture, .forbidden, "bob approving his own edit") {
                try await client.send(.post, "/articles/\(id)/approve", token: fixture.token("bob"))
            }
            expectRefusal(fourEyes, state: "in_review")
            #expect((fourEyes["type"] as? String)?.contains("four") == true, "\(fourEyes)")
            // dave may.
            #expect(try await client.send(.post, "/articles/\(id)/approve", token: fixture.token("dave")).status == .ok)
        }
    }

    @Test("404 for an unknown article id and a malformed one")
    func notFound() async throws {
        let fixture = try await HTTPFixture()
        try await fixture.application().test(.router) { client in
            let unknown = UUID().uuidString.lowercased()
            for (method, path) in [
                (HTTPRequest.Method.get, "/articles/\(unknown)"), (.get, "/articles/\(unknown)/history"),
                (.get, "/articles/\(unknown)/diff"), (.post, "/articles/\(unknown)/submit"),
                (.get, "/articles/not-a-uuid"), (.post, "/articles/not-a-uuid/submit"),
                (.get, "/articles/not-a-uuid/history"),
            ] {
                try await Self.refused(fixture, .notFound, "\(method) \(path)") {
                    try await client.send(method, path, token: fixture.token("bob"))
                }
            }
            try await Self.refused(fixture, .notFound, "PATCH unknown") {
                try await client.send(.patch, "/articles/\(unknown)", token: fixture.token("bob"), json: #"{"title": "x"}"#)
            }
        }
    }

    @Test("409 for a command the state does not allow, 412 for a stale If-Match")
    func conflicts() async throws {
        let fixture = try await HTTPFixture()
        try await fixture.application().test(.router) { client in
            let (id, drafted) = try await client.draft(token: fixture.token("alice"), title: "Черновик")
            let state = try await Self.refused(fixture, .conflict, "publishing a draft") {
                try await client.send(.post, "/articles/\(id)/publish", token: fixture.token("carol"))
            }
            expectRefusal(state, state: "draft")

            let stale = try #require(drafted.headers[.eTag])
            let edited = try await client.send(
                .patch, "/articles/\(id)", token: fixture.token("alice"), json: #"{"title": "Черновик 2"}"#)
            #expect(edited.status == .ok)
            let precondition = try await Self.refused(fixture, .preconditionFailed, "stale If-Match") {
                try await client.send(
                    .patch, "/articles/\(id)", token: fixture.token("alice"), json: #"{"title": "Черновик 3"}"#,
                    headers: [.ifMatch: stale])
            }
            #expect(precondition["currentVersion"] as? Int == 2)
            let staleSubmit = try await client.send(
                .post, "/articles/\(id)/submit", token: fixture.token("alice"), headers: [.ifMatch: stale])
            expectProblem(staleSubmit, .preconditionFailed, "stale submit")
            #expect(staleSubmit.headers[.eTag] == "\"2\"")
        }
    }

    @Test("413 for a body over the configured limit")
    func tooLarge() async throws {
        let fixture = try await HTTPFixture(maximumBodyBytes: 256)
        try await fixture.application().test(.router) { client in
            let (id, _) = try await client.draft(token: fixture.token("alice"), title: "Коротко")
            let big = try jsonText(["title": "Длинно", "body": String(repeating: "слово ", count: 200)])
            try await Self.refused(fixture, .contentTooLarge, "big draft") {
                try await client.send(.post, "/articles", token: fixture.token("alice"), json: big)
            }
            try await Self.refused(fixture, .contentTooLarge, "big edit") {
                try await client.send(.patch, "/articles/\(id)", token: fixture.token("alice"), json: big)
            }
        }
    }

    @Test("400 for malformed JSON, invalid UTF-8 and a bad If-Match")
    func badRequests() async throws {
        let fixture = try await HTTPFixture()
        try await fixture.application().test(.router) { client in
            let (id, _) = try await client.draft(token: fixture.token("alice"), title: "Статья")
            try await Self.refused(fixture, .badRequest, "malformed JSON") {
                try await client.send(.post, "/articles", token: fixture.token("alice"), json: #"{"title": "#)
            }
            try await Self.refused(fixture, .badRequest, "malformed JSON edit") {
                try await client.send(.patch, "/articles/\(id)", token: fixture.token("alice"), json: "{title: 1}")
            }
            // {"title": "<0xFF 0xFE>"}
            let invalid: [UInt8] = Array(#"{"title": ""#.utf8) + [0xFF, 0xFE, 0xC3] + Array(#""}"#.utf8)
            try await Self.refused(fixture, .badRequest, "invalid UTF-8") {
                try await client.send(.post, "/articles", token: fixture.token("alice"), bytes: invalid)
            }
            for ifMatch in ["abc", "\"-1\"", "\"1.5\"", "*x"] {
                try await Self.refused(fixture, .badRequest, "If-Match \(ifMatch)") {
                    try await client.send(
                        .patch, "/articles/\(id)", token: fixture.token("alice"), json: #"{"title": "Новое"}"#,
                        headers: [.ifMatch: ifMatch])
                }
            }
        }
    }

    @Test("422 for unknown fields, wrong types, a missing or blank reason")
    func unprocessable() async throws {
        let fixture = try await HTTPFixture()
        try await fixture.application().test(.router) { client in
            let (id, _) = try await client.draft(token: fixture.token("alice"), title: "Статья")
            #expect(try await client.send(.post, "/articles/\(id)/submit", token: fixture.token("alice")).status == .ok)

            let unknown = try await Self.refused(fixture, .unprocessableContent, "unknown field") {
                try await client.send(.post, "/articles", token: fixture.token("alice"), json: #"{"title": "x", "colour": "red"}"#)
            }
            #expect((unknown["detail"] as? String)?.contains("colour") == true)
            let wrongType = try await Self.refused(fixture, .unprocessableContent, "tags as a string") {
                try await client.send(.post, "/articles", token: fixture.token("alice"), json: #"{"title": "x", "tags": "x"}"#)
            }
            #expect((wrongType["detail"] as? String)?.contains("tags") == true)
            try await Self.refused(fixture, .unprocessableContent, "title as a number") {
                try await client.send(.patch, "/articles/\(id)", token: fixture.token("bob"), json: #"{"title": 5}"#)
            }
            try await Self.refused(fixture, .unprocessableContent, "a body that is not an object") {
                try await client.send(.post, "/articles", token: fixture.token("alice"), json: #"["title"]"#)
            }
            let missing = try await Self.refused(fixture, .unprocessableContent, "missing reason") {
                try await client.send(.post, "/articles/\(id)/request-changes", token: fixture.token("bob"), json: "{}")
            }
            #expect((missing["detail"] as? String)?.contains("reason") == true)
            let blank = try await Self.refused(fixture, .unprocessableContent, "blank reason") {
                try await client.send(
                    .post, "/articles/\(id)/request-changes", token: fixture.token("bob"), json: #"{"reason": "   "}"#)
            }
            expectRefusal(blank, state: "in_review")
            try await Self.refused(fixture, .unprocessableContent, "a field on a route that takes none") {
                try await client.send(.post, "/articles/\(id)/archive", token: fixture.token("carol"), json: #"{"why": "x"}"#)
            }
        }
    }
}

@Suite("HTTP acceptance: problem details everywhere, with the request id")
struct ProblemShapeTests {
    @Test("unknown routes, wrong methods and bad feed parameters are problem+json too; errors echo X-Request-Id")
    func everyErrorIsAProblem() async throws {
        let fixture = try await HTTPFixture()
        try await fixture.application().test(.router) { client in
            let bob = fixture.token("bob")
            let (id, _) = try await client.draft(token: fixture.token("alice"), title: "Проблемы")
            expectProblem(try await client.send(.get, "/no-such-route", token: bob), .notFound, "unknown route")
            // A method the path does not take: 405, naming the ones it does.
            let wrongMethod = try await client.send(.put, "/articles/\(id)", token: bob, json: "{}")
            expectProblem(wrongMethod, .methodNotAllowed, "PUT on an article")
            #expect(wrongMethod.headers[.allow] == "GET, HEAD, PATCH")
            #expect(wrongMethod.text.contains("PUT is not allowed"))
            let getOnCommand = try await client.send(.get, "/articles/\(id)/submit", token: bob)
            expectProblem(getOnCommand, .methodNotAllowed, "GET on a command")
            #expect(getOnCommand.headers[.allow] == "POST")
            #expect(try await client.send(.delete, "/articles", token: nil).headers[.allow] == "GET, HEAD, POST")
            // HEAD answers as GET does, without a body (and needs the same token).
            let head = try await client.send(.head, "/articles/\(id)", token: bob)
            #expect(head.status == .ok && head.text.isEmpty)
            #expect(head.headers[.eTag] != nil)
            #expect(try await client.send(.head, "/articles/\(id)", token: nil).status == .unauthorized)
            // Nothing was changed by any of them.
            #expect(try await client.send(.get, "/articles/\(id)", token: bob).object["version"] as? Int == 1)

            let unauthorized = try await client.send(.get, "/articles", token: nil, headers: [.testRequestId: "req-401"])
            #expect(unauthorized.headers[.testRequestId] == "req-401")
            let invalid = try await client.send(
                .post, "/articles", token: bob, json: #"{"nope": 1}"#, headers: [.testRequestId: "req-422"])
            expectProblem(invalid, .unprocessableContent, "unknown field")
            #expect(invalid.headers[.testRequestId] == "req-422")
            // An unusable request id is replaced by the server's own.
            let replaced = try await client.send(.get, "/articles", token: bob, headers: [.testRequestId: "bad id\u{7f}"])
            #expect(replaced.status == .ok)
            #expect(replaced.headers[.testRequestId].map { !$0.isEmpty && $0 != "bad id\u{7f}" } == true)

            expectProblem(
                try await client.send(.get, "/events", token: bob, headers: [.accept: "text/event-stream", .testLastEventId: "nope"]),
                .badRequest, "SSE with a bad Last-Event-ID")
            expectProblem(try await client.send(.get, "/audit?article=nope", token: bob), .badRequest, "audit bad article")
            expectProblem(try await client.send(.get, "/audit?since=yesterday", token: bob), .badRequest, "audit bad since")

            let csv = try await client.send(.get, "/audit?article=\(id)", token: bob, headers: [.accept: "text/csv"])
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.text.split(separator: "\r\n").count == 2, "\(csv.text)")
        }
    }

    @Test("more 422s: blank title, an edit that changes nothing, an unparseable publish time")
    func moreUnprocessable() async throws {
        let fixture = try await HTTPFixture()
        try await fixture.application().test(.router) { client in
            let (id, _) = try await client.draft(token: fixture.token("alice"), title: "Статья")
            try await ErrorResponseTests.refused(fixture, .unprocessableContent, "blank title") {
                try await client.send(.post, "/articles", token: fixture.token("alice"), json: #"{"title": "  "}"#)
            }
            let unchanged = try await ErrorResponseTests.refused(fixture, .unprocessableContent, "empty edit") {
                try await client.send(.patch, "/articles/\(id)", token: fixture.token("alice"), json: "{}")
            }
            expectRefusal(unchanged, state: "draft")
            try await ErrorResponseTests.refused(fixture, .unprocessableContent, "publish at tomorrow") {
                try await client.send(.post, "/articles/\(id)/publish", token: fixture.token("carol"), json: #"{"at": "tomorrow"}"#)
            }
        }
    }
}

@Suite("NUL characters, which PostgreSQL text cannot hold")
struct NULCharacterTests {
    @Test("a NUL in a body is 422, in a query 400; nothing is written, nothing is cut off")
    func refused() async throws {
        let database = try await TestDatabase.migrated()
        let app = CopydeskApp(pool: database.servicePool())
        let token = try await app.users.add(name: "nul", role: .admin)
        let owner = try await Connection.connect(to: database.ownerConninfo)
        let count = "SELECT count(*)::int FROM events"
        // Adding the user wrote its two events (added, token issued); the requests must write none.
        let before = try await owner.query(count).first?.decode(0, as: Int.self)
        #expect(before == 2)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let server = buildApplication(app: app, configuration: .init(), logger: logger, runScheduler: false)
        try await server.test(.router) { client in
            let auth: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
            // Refused by the workflow, which names the field (the same rule for the CLI and import).
            try await client.execute(
                uri: "/articles", method: .post, headers: auth, body: ByteBuffer(string: #"{"title": "a\u0000b"}"#)
            ) { response in
                #expect(response.status == .unprocessableContent)
                let body = String(buffer: response.body)
                #expect(body.contains("invalid-content") && body.contains("the title holds a NUL character"), "\(body)")
            }
            for uri in ["/articles?search=%00", "/articles?author=a%00b", "/audit?actor=a%00b"] {
                try await client.execute(uri: uri, method: .get, headers: auth) { response in
                    #expect(response.status == .badRequest, "\(uri)")
                }
            }
        }
        #expect(try await owner.query(count).first?.decode(0, as: Int.self) == before)
        #expect(try await owner.query(count + " WHERE stream_id NOT LIKE 'user-%'").first?.decode(0, as: Int.self) == 0)
        await owner.close()
    }
}
