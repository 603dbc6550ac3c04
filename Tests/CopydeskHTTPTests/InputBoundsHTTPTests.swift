import Copydesk
import CopydeskHTTP
import Editorial
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import Yams

@Suite("HTTP acceptance: bounded, normalized input")
struct InputBoundsHTTPTests {
    @Test("an oversized title is 422 naming the field and the limit, and writes nothing; tags are normalized")
    func limits() async throws {
        let fixture = try await HTTPFixture()
        try await fixture.application().test(.router) { client in
            let alice = fixture.token("alice")
            let before = try await fixture.eventCount()
            let title = String(repeating: "Ж", count: InputLimit.title.maximum + 1)
            let over = try await client.send(.post, "/articles", token: alice, json: try jsonText(["title": title]))
            let problem = expectProblem(over, .unprocessableContent, "oversized title")
            #expect(problem["type"] as? String == "https://copydesk.dev/problems/over-limit")
            #expect(problem["field"] as? String == "title" && problem["limit"] as? Int == 1000, "\(problem)")
            #expect((problem["detail"] as? String)?.contains("at most 1000") == true, "\(problem)")
            #expect(try await fixture.eventCount() == before)

            let atLimit = String(repeating: "Ж", count: InputLimit.title.maximum)
            let (id, drafted) = try await client.draft(token: alice, title: atLimit, tags: [" город ", "город", "Спорт"])
            #expect(drafted.object["tags"] as? [String] == ["город", "Спорт"])

            let tags = (0...InputLimit.tags.maximum).map { "t\($0)" }
            let tooMany = try await client.send(.patch, "/articles/\(id)", token: alice, json: try jsonText(["tags": tags]))
            let tagsProblem = expectProblem(tooMany, .unprocessableContent, "51 tags")
            #expect(tagsProblem["field"] as? String == "tags" && tagsProblem["limit"] as? Int == 50, "\(tagsProblem)")
            let empty = try await client.send(.patch, "/articles/\(id)", token: alice, json: #"{"tags": ["a", " "]}"#)
            #expect(expectProblem(empty, .unprocessableContent, "empty tag")["type"] as? String
                == "https://copydesk.dev/problems/invalid-content")
            let comment = String(repeating: "x", count: InputLimit.comment.maximum + 1)
            let long = try await client.send(
                .post, "/articles/\(id)/comments", token: alice, json: try jsonText(["text": comment]))
            #expect(expectProblem(long, .unprocessableContent, "long comment")["field"] as? String == "comment")
            #expect(try await fixture.eventCount() == before + 1)
        }
    }

    @Test("a body not sent as application/json is 415; JSON with parameters is taken; a bodiless command needs no type")
    func contentType() async throws {
        let fixture = try await HTTPFixture()
        try await fixture.application().test(.router) { client in
            let alice = fixture.token("alice")
            let before = try await fixture.eventCount()
            let body = #"{"title": "Текст"}"#
            for type in ["text/plain", "application/x-www-form-urlencoded", "application/jsonx", "text/json"] {
                let refused = try await client.send(.post, "/articles", token: alice, json: body, headers: [.contentType: type])
                let problem = expectProblem(refused, .unsupportedMediaType, type)
                #expect((problem["detail"] as? String)?.contains("application/json") == true, "\(problem)")
                #expect(refused.headers[HTTPField.Name("Accept-Post")!] == "application/json")
            }
            let patch = try await client.send(
                .patch, "/articles/\(UUID().uuidString)", token: alice, json: body, headers: [.contentType: "text/plain"])
            expectProblem(patch, .unsupportedMediaType, "PATCH as text/plain")
            #expect(patch.headers[HTTPField.Name("Accept-Patch")!] == "application/json")
            var headers: HTTPFields = [.authorization: "Bearer \(alice)"]
            let untyped = try await client.executeRequest(
                uri: "/articles", method: .post, headers: headers, body: ByteBuffer(string: body))
            expectProblem(untyped, .unsupportedMediaType, "a body without Content-Type")
            #expect(try await fixture.eventCount() == before)

            for type in ["application/json; charset=utf-8", "Application/JSON", "application/json;charset=UTF-8"] {
                let taken = try await client.send(.post, "/articles", token: alice, json: body, headers: [.contentType: type])
                #expect(taken.status == .created, "\(type): \(taken.status) \(taken.text)")
            }
            let (id, _) = try await client.draft(token: alice, title: "Без тела")
            headers[.ifMatch] = "\"1\""
            let submitted = try await client.executeRequest(
                uri: "/articles/\(id)/submit", method: .post, headers: headers, body: nil)
            #expect(submitted.status == .ok, "\(submitted.text)")
        }
    }

    @Test("an empty Idempotency-Key is 400 and writes nothing")
    func emptyIdempotencyKey() async throws {
        let fixture = try await HTTPFixture()
        try await fixture.application().test(.router) { client in
            let before = try await fixture.eventCount()
            let response = try await client.send(
                .post, "/articles", token: fixture.token("alice"), json: #"{"title": "Ключ"}"#,
                headers: [.testIdempotencyKey: ""])
            let problem = expectProblem(response, .badRequest, "empty Idempotency-Key")
            #expect((problem["detail"] as? String)?.contains("Idempotency-Key") == true)
            #expect(try await fixture.eventCount() == before)
        }
    }

    @Test("through a real socket too: an empty Idempotency-Key is 400, text/plain 415")
    func overTheWire() async throws {
        let fixture = try await HTTPFixture()
        try await fixture.application().test(.live) { client in
            let before = try await fixture.eventCount()
            let emptyKey = try await client.send(
                .post, "/articles", token: fixture.token("alice"), json: #"{"title": "Ключ"}"#,
                headers: [.testIdempotencyKey: ""])
            expectProblem(emptyKey, .badRequest, "empty Idempotency-Key over the wire")
            let text = try await client.send(
                .post, "/articles", token: fixture.token("alice"), json: #"{"title": "Текст"}"#,
                headers: [.contentType: "text/plain"])
            expectProblem(text, .unsupportedMediaType, "text/plain over the wire")
            #expect(try await fixture.eventCount() == before)
        }
    }

    @Test("a strange X-Request-Id is replaced by a safe one, echoed, stored and logged as replaced")
    func strangeRequestId() async throws {
        let fixture = try await HTTPFixture()
        let log = RequestLogRecorder()
        var logger = Logger(label: "copydesk-request-id-tests") { _ in log.handler }
        logger.logLevel = .info
        try await fixture.application(logger: logger).test(.router) { client in
            let bob = fixture.token("bob")
            for strange in ["has space", String(repeating: "a", count: 129), "ünïcode", "a\u{1b}[31m", "semi;colon", "x/y"] {
                let response = try await client.send(
                    .post, "/articles", token: bob, json: #"{"title": "Id"}"#, headers: [.testRequestId: strange])
                #expect(response.status == .created)
                let echoed = try #require(response.headers[.testRequestId])
                #expect(echoed != strange && !echoed.isEmpty && echoed.count <= 128, "\(echoed)")
                #expect(echoed.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._:-".contains($0)) }, "\(echoed)")
                let id = try #require(response.object["id"] as? String)
                let audit = try await client.send(.get, "/audit?article=\(id)", token: bob)
                #expect(audit.jsonLines.first?["correlationId"] as? String == echoed, "\(audit.text)")
            }
            let kept = try await client.send(.get, "/articles", token: bob, headers: [.testRequestId: "abc.DEF_1:2-3"])
            #expect(kept.headers[.testRequestId] == "abc.DEF_1:2-3")
        }
        #expect(await eventually { log.lines(path: "/articles").count >= 7 })
        let lines = log.lines(path: "/articles")
        #expect(lines.filter { $0["method"] == "POST" }.allSatisfy { $0["request_id_replaced"] == "true" }, "\(lines)")
        #expect(lines.filter { $0["method"] == "GET" }.allSatisfy { $0["request_id_replaced"] == nil }, "\(lines)")
        #expect(!lines.contains { $0.values.contains("has space") }, "the client's id is not logged")
    }

    @Test("openapi.yaml's maxLength and maxItems are the domain's limits")
    func openAPILimits() throws {
        let document = try #require(try Yams.load(yaml: OpenAPITests.specFile()) as? [String: Any])
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        func value(_ path: String...) -> Int? {
            var node: Any? = schemas
            for key in path { node = (node as? [String: Any])?[key] }
            return node as? Int
        }
        for body in ["DraftBody", "EditBody"] {
            for limit in [InputLimit.title, .lead, .body, .section] {
                #expect(value(body, "properties", limit.field, "maxLength") == limit.maximum, "\(body).\(limit.field)")
            }
        }
        #expect(value("EditBody", "properties", "note", "maxLength") == InputLimit.note.maximum)
        #expect(value("NoteBody", "properties", "note", "maxLength") == InputLimit.note.maximum)
        #expect(value("ReasonBody", "properties", "reason", "maxLength") == InputLimit.reason.maximum)
        #expect(value("CommentBody", "properties", "text", "maxLength") == InputLimit.comment.maximum)
        #expect(value("Tags", "maxItems") == InputLimit.tags.maximum)
        #expect(value("Tags", "items", "maxLength") == InputLimit.tag.maximum)
    }
}
