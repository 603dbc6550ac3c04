import Copydesk
import CopydeskHTTP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TestSupport

@Suite("HTTP acceptance: the global log as JSON lines and Server-Sent Events")
struct FeedHTTPTests {
    @Test("GET /events pages JSON lines with X-Next-Cursor, and ?after= continues without gaps or repeats")
    func jsonLinesPages() async throws {
        let fixture = try await HTTPFixture()
        try await fixture.application().test(.router) { client in
            let alice = fixture.token("alice")
            for title in ["Один", "Два", "Три"] {
                let (id, _) = try await client.draft(token: alice, title: title)
                #expect(try await client.send(.post, "/articles/\(id)/submit", token: alice).status == .ok)
            }
            // The log holds the fixture's users' events (added, token issued), then the articles'.
            let users = HTTPFixture.userEventTypes.count
            #expect(try await fixture.articleEventCount() == 6)
            let total = try await fixture.eventCount()
            #expect(total == users + 6)

            // The gap-safe log shows a commit once every older transaction in the cluster has ended
            // (other suites share the cluster), so wait for it rather than expect it at once.
            var everything = try await client.send(.get, "/events", token: fixture.token("bob"))
            _ = try await eventually(timeout: .seconds(15)) {
                everything = try await client.send(.get, "/events", token: fixture.token("bob"))
                return everything.jsonLines.count >= total
            }
            #expect(everything.status == .ok)
            #expect(everything.headers[.contentType] == "application/x-ndjson")
            let lines = everything.jsonLines
            #expect(lines.count == total)
            let cursors = lines.compactMap { $0["cursor"] as? String }
            #expect(cursors.count == total)
            #expect(everything.headers[.testNextCursor] == cursors.last)
            for line in lines {
                #expect(line["type"] is String && line["data"] is [String: Any] && line["metadata"] is [String: Any])
            }
            #expect(lines.prefix(users).map { $0["type"] as? String } == HTTPFixture.userEventTypes)
            #expect(lines.prefix(users).allSatisfy { ($0["stream"] as? String)?.hasPrefix("user-") == true })
            #expect(
                lines.dropFirst(users).map { $0["type"] as? String }
                    == Array(repeating: ["ArticleDrafted", "ArticleSubmitted"], count: 3).flatMap { $0 })

            // Pages of two from the start: the same events in the same order.
            var paged: [String] = []
            var after: String?
            var pages = 0
            while pages < 10 {
                let query = "/events?limit=2" + (after.map { "&after=\($0)" } ?? "")
                let page = try await client.send(.get, query, token: fixture.token("bob"))
                #expect(page.status == .ok)
                let pageCursors = page.jsonLines.compactMap { $0["cursor"] as? String }
                pages += 1
                if pageCursors.isEmpty {
                    #expect(page.headers[.testNextCursor] == nil)
                    break
                }
                #expect(pageCursors.count <= 2)
                #expect(page.headers[.testNextCursor] == pageCursors.last)
                paged += pageCursors
                after = page.headers[.testNextCursor]
            }
            #expect(paged == cursors)

            // From a cursor in the middle.
            let rest = try await client.send(.get, "/events?after=\(cursors[1])", token: fixture.token("bob"))
            #expect(rest.jsonLines.compactMap { $0["cursor"] as? String } == Array(cursors[2...]))

            for query in ["?after=garbage", "?limit=0", "?limit=x"] {
                expectProblem(try await client.send(.get, "/events\(query)", token: fixture.token("bob")), .badRequest, query)
            }
            expectProblem(try await client.send(.get, "/events", token: nil), .unauthorized, "events without token")
        }
    }

    @Test("an SSE client receives a new event, and resumes from Last-Event-ID without repeats or gaps")
    func serverSentEvents() async throws {
        let fixture = try await HTTPFixture(feedPollInterval: .milliseconds(500))
        try await fixture.application().test(.live) { client in
            let port = try #require(client.port)
            let alice = fixture.token("alice")
            let bob = fixture.token("bob")
            let (id, _) = try await client.draft(token: alice, title: "Лента")
            let stream = "article-\(id)"
            let sseHeaders = ["Authorization": "Bearer \(bob)", "Accept": "text/event-stream"]

            // Connect: the existing events arrive first, the fixture's users' and then the draft.
            let first = try SSEClient(port: port, path: "/events", headers: sseHeaders)
            defer { first.close() }
            try await first.waitForHead(timeout: .seconds(10))
            #expect(first.status == 200)
            #expect(first.headers["content-type"]?.hasPrefix("text/event-stream") == true)
            var received: [ServerSentEvent] = []
            while received.count < HTTPFixture.userEventTypes.count,
                let event = try await first.nextEvent(timeout: .seconds(10))
            {
                received.append(event)
            }
            #expect(received.map(\.event) == HTTPFixture.userEventTypes, "\(received)")
            let existing = try #require(try await first.nextEvent(timeout: .seconds(10)), "no event for the existing draft")
            #expect(existing.event == "ArticleDrafted", "\(existing)")
            received.append(existing)

            // Append after connecting: it arrives within a few seconds.
            let edited = try await client.send(.patch, "/articles/\(id)", token: alice, json: #"{"lead": "Новое"}"#)
            #expect(edited.status == .ok)
            let live = try #require(try await first.nextEvent(timeout: .seconds(15)), "the new event never arrived")
            received.append(live)
            let liveData = try #require(
                (try? JSONSerialization.jsonObject(with: Data(live.data.utf8))) as? [String: Any], "data: \(live.data)")
            #expect(liveData["stream"] as? String == stream)
            #expect(liveData["version"] as? Int == 2)
            #expect(live.id == liveData["cursor"] as? String)
            first.close()

            // While disconnected, two more events.
            #expect(try await client.send(.patch, "/articles/\(id)", token: alice, json: #"{"lead": "Ещё новее"}"#).status == .ok)
            #expect(try await client.send(.post, "/articles/\(id)/submit", token: alice).status == .ok)

            // Reconnect from the last id: exactly the two missed events, in order.
            let lastId = try #require(live.id)
            let second = try SSEClient(
                port: port, path: "/events", headers: sseHeaders.merging(["Last-Event-ID": lastId]) { $1 })
            defer { second.close() }
            try await second.waitForHead(timeout: .seconds(10))
            #expect(second.status == 200)
            var resumed: [ServerSentEvent] = []
            while resumed.count < 2, let event = try await second.nextEvent(timeout: .seconds(15)) {
                resumed.append(event)
            }
            // Anything else would be a repeat (nothing new was appended).
            if let extra = try await second.nextEvent(timeout: .seconds(2)) { resumed.append(extra) }
            let seenIds = Set(received.compactMap(\.id))
            #expect(resumed.count == 2, "after \(lastId): \(resumed)")
            #expect(resumed.allSatisfy { $0.id.map { !seenIds.contains($0) } ?? false }, "repeats: \(resumed)")
            let versions = resumed.compactMap {
                ((try? JSONSerialization.jsonObject(with: Data($0.data.utf8))) as? [String: Any])?["version"] as? Int
            }
            #expect(versions == [3, 4])
            #expect(resumed.map(\.event) == ["ArticleEdited", "ArticleSubmitted"], "types: \(resumed.map(\.event))")
            second.close()
        }
    }
}
