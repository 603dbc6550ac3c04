import Copydesk
import CopydeskHTTP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TestSupport

@Suite("HTTP acceptance: the workflow, ETags and idempotency")
struct WorkflowHTTPTests {
    @Test("the seed article goes draft → edit → submit → approve → publish, each step with its role's own token")
    func seedArticleWorkflow() async throws {
        let fixture = try await HTTPFixture()
        let seed = try SeedSample.load()
        let fixed = seed.body.replacingOccurrences(of: "Асхад", with: "Асхат")
        #expect(seed.body.contains("Асхад"))
        #expect(!fixed.contains("Асхад"))
        let traced: HTTPFields = [.testRequestId: "test-123"]

        try await fixture.application().test(.router) { client in
            // alice drafts.
            let (id, drafted) = try await client.draft(
                token: fixture.token("alice"), title: seed.title, lead: seed.lead, body: seed.body, section: seed.section,
                headers: traced)
            #expect(drafted.headers[.location] == "/articles/\(id)")
            #expect(drafted.headers[.testRequestId] == "test-123")
            #expect(drafted.object["state"] as? String == "draft")
            #expect(drafted.object["author"] as? String == "alice")
            var etag = try #require(expectETagMatchesVersion(drafted))
            #expect(etag == "\"1\"")

            // alice fixes the name, conditionally on what she just saw.
            let edited = try await client.send(
                .patch, "/articles/\(id)", token: fixture.token("alice"),
                json: try jsonText(["body": fixed, "note": "Асхад → Асхат"]),
                headers: traced.merging([.ifMatch: etag]))
            #expect(edited.status == .ok, "\(edited.text)")
            etag = try #require(expectETagMatchesVersion(edited))
            #expect(etag == "\"2\"")

            let submitted = try await client.send(
                .post, "/articles/\(id)/submit", token: fixture.token("alice"), headers: traced.merging([.ifMatch: etag]))
            #expect(submitted.status == .ok, "\(submitted.text)")
            #expect(submitted.object["state"] as? String == "in_review")
            etag = try #require(expectETagMatchesVersion(submitted))

            let approved = try await client.send(
                .post, "/articles/\(id)/approve", token: fixture.token("bob"), json: #"{"note": "хорошо"}"#,
                headers: traced.merging([.ifMatch: etag]))
            #expect(approved.status == .ok, "\(approved.text)")
            #expect(approved.object["state"] as? String == "approved")
            etag = try #require(expectETagMatchesVersion(approved))

            let published = try await client.send(
                .post, "/articles/\(id)/publish", token: fixture.token("carol"), json: "{}",
                headers: traced.merging([.ifMatch: etag]))
            #expect(published.status == .ok, "\(published.text)")
            #expect(published.object["state"] as? String == "published")
            etag = try #require(expectETagMatchesVersion(published))
            #expect(etag == "\"5\"")

            // What a reader gets: the live text, byte for byte.
            let shown = try await client.send(.get, "/articles/\(id)", token: fixture.token("erin"))
            #expect(shown.status == .ok)
            #expect(shown.headers[.eTag] == "\"5\"")
            let article = shown.object
            let live = try #require(article["live"] as? [String: Any], "no live text: \(shown.text)")
            #expect(Array((live["title"] as? String ?? "").utf8) == Array(seed.title.utf8))
            #expect(Array((live["lead"] as? String ?? "").utf8) == Array(seed.lead.utf8))
            #expect(Array((live["body"] as? String ?? "").utf8) == Array(fixed.utf8))
            #expect(live["section"] as? String == seed.section)
            #expect(live["publishedBy"] as? String == "carol")
            #expect(Array((article["body"] as? String ?? "").utf8) == Array(fixed.utf8))
            #expect(article["state"] as? String == "published")

            // History: every step with its actor.
            let history = try await client.send(.get, "/articles/\(id)/history", token: fixture.token("bob"))
            #expect(history.status == .ok)
            let entries = history.array
            #expect(entries.map { $0["actor"] as? String } == ["alice", "alice", "alice", "bob", "carol"])
            #expect(entries.map { $0["version"] as? Int } == [1, 2, 3, 4, 5])
            #expect(entries.allSatisfy { $0["origin"] as? String == "http" })

            // The audit trail: origin http and the client's request id.
            let audit = try await client.send(.get, "/audit?article=\(id)", token: fixture.token("carol"))
            #expect(audit.status == .ok)
            let records = audit.jsonLines
            #expect(records.count == 5)
            #expect(records.map { $0["actor"] as? String } == ["alice", "alice", "alice", "bob", "carol"])
            for record in records {
                #expect(record["origin"] as? String == "http", "\(record)")
                #expect(record["correlationId"] as? String == "test-123", "\(record)")
            }

            // The global log: the same correlation id in each event's metadata.
            // (The gap-safe log may hold a commit back while older transactions elsewhere run.)
            var mine: [[String: Any]] = []
            _ = try await eventually(timeout: .seconds(15)) {
                let events = try await client.send(.get, "/events", token: fixture.token("carol"))
                #expect(events.status == .ok)
                mine = events.jsonLines.filter { $0["stream"] as? String == "article-\(id)" }
                return mine.count >= 5
            }
            #expect(mine.count == 5)
            for event in mine {
                let metadata = event["metadata"] as? [String: Any] ?? [:]
                #expect(metadata["correlationId"] as? String == "test-123", "\(event)")
                #expect(metadata["origin"] as? String == "http", "\(event)")
            }
            #expect(mine.compactMap { ($0["metadata"] as? [String: Any])?["actor"] as? String }
                == ["alice", "alice", "alice", "bob", "carol"])
        }
    }

    @Test("every command's ETag is the article's version, and If-Match with the current ETag succeeds")
    func etagsFollowVersions() async throws {
        let fixture = try await HTTPFixture()
        try await fixture.application().test(.router) { client in
            let (id, drafted) = try await client.draft(token: fixture.token("alice"), title: "Порт открыт")
            var etag = try #require(expectETagMatchesVersion(drafted))
            let steps: [(HTTPRequest.Method, String, String, String?)] = [
                (.patch, "", "alice", #"{"lead": "После двух лет работ"}"#),
                (.post, "/comments", "bob", #"{"text": "Проверьте фото"}"#),
                (.post, "/submit", "alice", nil),
                (.post, "/request-changes", "bob", #"{"reason": "Назовите министра"}"#),
                (.patch, "", "alice", #"{"lead": "После двух лет работ министр открыл порт"}"#),
                (.post, "/submit", "alice", nil),
                (.post, "/approve", "dave", nil),
                (.post, "/publish", "carol", nil),
                (.post, "/unpublish", "carol", #"{"reason": "Юридическая проверка"}"#),
                (.post, "/archive", "carol", nil),
            ]
            var previous = 1
            for (method, suffix, user, json) in steps {
                let response = try await client.send(
                    method, "/articles/\(id)\(suffix)", token: fixture.token(user), json: json, headers: [.ifMatch: etag])
                #expect(response.status.code / 100 == 2, "\(suffix): \(response.status) \(response.text)")
                etag = try #require(expectETagMatchesVersion(response), "\(suffix)")
                let version = response.object["version"] as? Int ?? 0
                #expect(version == previous + 1, "\(suffix): version \(version) after \(previous)")
                previous = version
                let shown = try await client.send(.get, "/articles/\(id)", token: fixture.token("erin"))
                #expect(shown.headers[.eTag] == etag)
            }
            // Archived: If-Match is current, so the refusal is about the state, not the precondition.
            let commented = try await client.send(
                .post, "/articles/\(id)/comments", token: fixture.token("bob"), json: #"{"text": "архив"}"#,
                headers: [.ifMatch: etag])
            expectRefusal(expectProblem(commented, .conflict, "comment on archived"), state: "archived")
        }
    }

    @Test("a retried POST with the same Idempotency-Key returns the same response and writes once")
    func idempotentRetry() async throws {
        let fixture = try await HTTPFixture()
        try await fixture.application().test(.router) { client in
            let body = try jsonText(["title": "Мост открыт", "section": "Город"])
            let key: HTTPFields = [.testIdempotencyKey: "draft-42"]
            let before = try await fixture.eventCount()
            let first = try await client.send(.post, "/articles", token: fixture.token("alice"), json: body, headers: key)
            let retry = try await client.send(.post, "/articles", token: fixture.token("alice"), json: body, headers: key)
            #expect(first.status == .created)
            #expect(retry.status == first.status)
            #expect(retry.bytes == first.bytes, "first: \(first.text)\nretry: \(retry.text)")
            #expect(retry.headers[.location] == first.headers[.location])
            #expect(retry.headers[.eTag] == first.headers[.eTag])
            #expect(try await fixture.eventCount() == before + 1)
            let id = try #require(first.object["id"] as? String)

            // A command on the article, retried.
            let submitKey: HTTPFields = [.testIdempotencyKey: "submit-1"]
            let submitted = try await client.send(
                .post, "/articles/\(id)/submit", token: fixture.token("alice"), headers: submitKey)
            let resubmitted = try await client.send(
                .post, "/articles/\(id)/submit", token: fixture.token("alice"), headers: submitKey)
            #expect(submitted.status == .ok)
            #expect(resubmitted.status == submitted.status)
            #expect(resubmitted.bytes == submitted.bytes)
            #expect(try await fixture.eventCount() == before + 2)

            // The same key on another route is another command.
            let comment = try await client.send(
                .post, "/articles/\(id)/comments", token: fixture.token("alice"), json: #"{"text": "готово"}"#,
                headers: key)
            #expect(comment.status == .created, "\(comment.text)")
            #expect(try await fixture.eventCount() == before + 3)

            // The same key from another user is another command: erin gets an article of her own.
            let erins = try await client.send(.post, "/articles", token: fixture.token("erin"), json: body, headers: key)
            #expect(erins.status == .created, "\(erins.text)")
            #expect(erins.object["author"] as? String == "erin")
            #expect(erins.headers[.location] != first.headers[.location])
            #expect(try await fixture.eventCount() == before + 4)
        }
    }

    @Test("the same Idempotency-Key with another body or If-Match is refused (422) and writes nothing")
    func idempotencyKeyReusedForAnotherRequest() async throws {
        let fixture = try await HTTPFixture()
        try await fixture.application().test(.router) { client in
            let key: HTTPFields = [.testIdempotencyKey: "draft-7"]
            let first = try await client.send(
                .post, "/articles", token: fixture.token("alice"), json: #"{"title": "First"}"#, headers: key)
            #expect(first.status == .created)
            let id = try #require(first.object["id"] as? String)
            let count = try await fixture.eventCount()

            let other = try await client.send(
                .post, "/articles", token: fixture.token("alice"), json: #"{"title": "Second, different"}"#, headers: key)
            let problem = expectProblem(other, .unprocessableContent, "another draft under the same key")
            #expect((problem["type"] as? String)?.hasSuffix("/invalid-input") == true, "\(problem)")
            #expect((problem["detail"] as? String)?.contains("Idempotency-Key") == true, "\(problem)")
            #expect(try await fixture.eventCount() == count)

            let editKey: HTTPFields = [.testIdempotencyKey: "edit-1"]
            let edited = try await client.send(
                .patch, "/articles/\(id)", token: fixture.token("alice"), json: #"{"title": "Edited"}"#, headers: editKey)
            #expect(edited.status == .ok)
            let otherEdit = try await client.send(
                .patch, "/articles/\(id)", token: fixture.token("alice"), json: #"{"title": "Lost edit"}"#,
                headers: editKey)
            _ = expectProblem(otherEdit, .unprocessableContent, "another edit under the same key")
            var conditional = editKey
            conditional[.ifMatch] = "\"2\""
            let sameBodyOtherCondition = try await client.send(
                .patch, "/articles/\(id)", token: fixture.token("alice"), json: #"{"title": "Edited"}"#,
                headers: conditional)
            _ = expectProblem(sameBodyOtherCondition, .unprocessableContent, "the same edit with If-Match added")
            #expect(try await fixture.eventCount() == count + 1)
            let shown = try await client.send(.get, "/articles/\(id)", token: fixture.token("alice"))
            #expect(shown.object["title"] as? String == "Edited")

            // The first request, repeated exactly, still gets its first answer.
            let retried = try await client.send(
                .patch, "/articles/\(id)", token: fixture.token("alice"), json: #"{"title": "Edited"}"#, headers: editKey)
            #expect(retried.status == .ok)
            #expect(retried.bytes == edited.bytes)
        }
    }

    @Test("a retry after the article moved on still returns the first response (README: 'return the first response')")
    func idempotentRetryAfterLaterCommands() async throws {
        let fixture = try await HTTPFixture()
        try await fixture.application().test(.router) { client in
            let (id, _) = try await client.draft(token: fixture.token("alice"), title: "Новый парк")
            let key: HTTPFields = [.testIdempotencyKey: "submit-once"]
            let first = try await client.send(.post, "/articles/\(id)/submit", token: fixture.token("alice"), headers: key)
            #expect(first.status == .ok)
            let approved = try await client.send(.post, "/articles/\(id)/approve", token: fixture.token("bob"))
            #expect(approved.status == .ok)
            let count = try await fixture.eventCount()
            let retry = try await client.send(.post, "/articles/\(id)/submit", token: fixture.token("alice"), headers: key)
            #expect(try await fixture.eventCount() == count)
            #expect(retry.status == first.status)
            #expect(retry.headers[.eTag] == first.headers[.eTag])
            #expect(retry.text == first.text)
        }
    }

    @Test("concurrent requests with the same Idempotency-Key write one event and answer alike")
    func concurrentIdempotentRequests() async throws {
        let fixture = try await HTTPFixture()
        try await fixture.application().test(.router) { client in
            let body = try jsonText(["title": "Одновременно"])
            let token = fixture.token("alice")
            let responses = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        try await client.send(
                            .post, "/articles", token: token, json: body, headers: [.testIdempotencyKey: "same"])
                    }
                }
                return try await group.reduce(into: [TestResponse]()) { $0.append($1) }
            }
            #expect(responses.allSatisfy { $0.status == .created }, "\(responses.map(\.status))")
            #expect(Set(responses.map(\.text)).count == 1, "\(responses.map(\.text))")
            #expect(try await fixture.articleEventCount() == 1)
            #expect(try await fixture.eventCount() == 1 + HTTPFixture.userEventTypes.count)
        }
    }
}

extension HTTPFields {
    func merging(_ other: HTTPFields) -> HTTPFields {
        var fields = self
        for field in other { fields.append(field) }
        return fields
    }
}
