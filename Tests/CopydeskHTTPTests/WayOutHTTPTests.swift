import Copydesk
import CopydeskHTTP
import Editorial
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TestSupport

@Suite("HTTP: unschedule, restore, revert, past publish times, comments and If-Match")
struct WayOutHTTPTests {
    @Test("an If-Match taken before someone's comment still applies; one taken before an edit is 412")
    func commentDoesNotStale() async throws {
        let fixture = try await HTTPFixture()
        try await fixture.application().test(.router) { client in
            let (id, drafted) = try await client.draft(token: fixture.token("alice"), title: "Консул", body: "Асхад")
            let opened = try #require(drafted.headers[.eTag])
            let commented = try await client.send(
                .post, "/articles/\(id)/comments", token: fixture.token("bob"), json: #"{"text": "Имя?"}"#)
            #expect(commented.status == .created, "\(commented.text)")

            let edited = try await client.send(
                .patch, "/articles/\(id)", token: fixture.token("alice"), json: #"{"body": "Асхат"}"#,
                headers: [.ifMatch: opened])
            #expect(edited.status == .ok, "\(edited.text)")
            #expect(edited.headers[.eTag] == "\"3\"")

            let stale = try await client.send(
                .patch, "/articles/\(id)", token: fixture.token("bob"), json: #"{"title": "Другой"}"#,
                headers: [.ifMatch: opened])
            expectProblem(stale, .preconditionFailed, "an edit came after the version named")
        }
    }

    @Test("publish at a past time is 422 naming both times; unschedule and revert work over HTTP")
    func routes() async throws {
        let fixture = try await HTTPFixture()
        try await fixture.application().test(.router) { client in
            let (id, _) = try await client.draft(token: fixture.token("alice"), title: "Консул", body: "Асхад")
            try await client.send(
                .patch, "/articles/\(id)", token: fixture.token("alice"), json: #"{"body": "Испорчено"}"#)
            try await client.send(.post, "/articles/\(id)/submit", token: fixture.token("alice"))
            try await client.send(.post, "/articles/\(id)/approve", token: fixture.token("bob"), json: "{}")

            let past = try await client.send(
                .post, "/articles/\(id)/publish", token: fixture.token("carol"),
                json: #"{"at": "2020-01-01T00:00:00Z"}"#)
            let problem = expectProblem(past, .unprocessableContent, "a time already past")
            expectRefusal(problem, state: "approved")
            #expect(problem["type"] as? String == "https://copydesk.dev/problems/not-in-future")
            #expect((problem["detail"] as? String)?.contains("2020-01-01T00:00:00.000Z") == true)

            let later = EventTimestamp.string(from: Date.now.addingTimeInterval(3600))
            let scheduled = try await client.send(
                .post, "/articles/\(id)/publish", token: fixture.token("carol"), json: #"{"at": "\#(later)"}"#)
            #expect(scheduled.object["state"] as? String == "scheduled", "\(scheduled.text)")

            let unscheduled = try await client.send(
                .post, "/articles/\(id)/unschedule", token: fixture.token("carol"), json: #"{"reason": "ждём"}"#)
            #expect(unscheduled.status == .ok, "\(unscheduled.text)")
            #expect(unscheduled.object["state"] as? String == "approved")

            let reverted = try await client.send(
                .post, "/articles/\(id)/revert", token: fixture.token("bob"),
                json: #"{"version": 1, "note": "как было"}"#)
            #expect(reverted.status == .ok, "\(reverted.text)")
            #expect(reverted.object["body"] as? String == "Асхад")
            #expect(reverted.object["state"] as? String == "in_review")

            let missing = try await client.send(
                .post, "/articles/\(id)/revert", token: fixture.token("bob"), json: #"{"version": 99}"#)
            expectProblem(missing, .unprocessableContent, "a version the article does not have")
            let untyped = try await client.send(
                .post, "/articles/\(id)/revert", token: fixture.token("bob"), json: #"{"version": "1"}"#)
            let wrongType = expectProblem(untyped, .unprocessableContent, "a version that is not a number")
            #expect((wrongType["detail"] as? String)?.contains("an integer") == true)
        }
    }

    @Test("restore brings an archived article back; an editor may not")
    func restore() async throws {
        let fixture = try await HTTPFixture()
        try await fixture.application().test(.router) { client in
            let (id, _) = try await client.draft(token: fixture.token("alice"), title: "Консул")
            try await client.send(.post, "/articles/\(id)/archive", token: fixture.token("bob"))
            let refused = try await client.send(.post, "/articles/\(id)/restore", token: fixture.token("bob"))
            expectRefusal(expectProblem(refused, .forbidden, "an editor restoring"), state: "archived")
            let restored = try await client.send(.post, "/articles/\(id)/restore", token: fixture.token("carol"))
            #expect(restored.status == .ok, "\(restored.text)")
            #expect(restored.object["state"] as? String == "draft")
        }
    }
}
