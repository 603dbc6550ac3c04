import Copydesk
import CopydeskHTTP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TestSupport

@Suite("HTTP acceptance: listing, time travel and diffs")
struct QueryHTTPTests {
    @Test("filters by state, author, section and Russian search; cursor pages chain to null")
    func listing() async throws {
        let fixture = try await HTTPFixture()
        try await fixture.application().test(.router) { client in
            let alice = fixture.token("alice")
            let erin = fixture.token("erin")
            let (harbour, _) = try await client.draft(
                token: alice, title: "Порт открылся после ремонта", body: "Ремонтные работы шли два года.",
                section: "Город")
            let (bridge, _) = try await client.draft(
                token: alice, title: "Новый мост", body: "Мост соединит берега.", section: "Город")
            let (election, _) = try await client.draft(
                token: erin, title: "Выборы губернатора", body: "Голосование прошло спокойно.", section: "Политика")
            let (budget, _) = try await client.draft(
                token: erin, title: "Бюджет области", body: "Депутаты приняли бюджет.", section: "Политика")
            let (school, _) = try await client.draft(
                token: alice, title: "Школа", body: "Открыта новая школа.", section: "Образование")
            let all = Set([harbour, bridge, election, budget, school])
            // bridge: published; election: in review.
            #expect(try await client.send(.post, "/articles/\(bridge)/submit", token: alice).status == .ok)
            #expect(try await client.send(.post, "/articles/\(bridge)/approve", token: fixture.token("bob")).status == .ok)
            #expect(try await client.send(.post, "/articles/\(bridge)/publish", token: fixture.token("carol")).status == .ok)
            #expect(try await client.send(.post, "/articles/\(election)/submit", token: erin).status == .ok)

            func ids(_ query: String) async throws -> [String] {
                let response = try await client.send(.get, "/articles\(query)", token: fixture.token("bob"))
                #expect(response.status == .ok, "\(query): \(response.text)")
                #expect(response.headers[.contentType] == "application/json")
                return (response.object["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            }
            #expect(Set(try await ids("")) == all)
            #expect(try await ids("?state=published") == [bridge])
            #expect(try await ids("?state=in_review") == [election])
            #expect(Set(try await ids("?state=draft")) == [harbour, budget, school])
            #expect(Set(try await ids("?author=erin")) == [election, budget])
            #expect(Set(try await ids("?section=%D0%93%D0%BE%D1%80%D0%BE%D0%B4")) == [harbour, bridge])  // Город
            #expect(Set(try await ids("?author=alice&section=%D0%93%D0%BE%D1%80%D0%BE%D0%B4&state=draft")) == [harbour])
            // "ремонт" finds "ремонта" and "Ремонтные" (Russian stemming), nothing else.
            #expect(try await ids("?search=%D1%80%D0%B5%D0%BC%D0%BE%D0%BD%D1%82") == [harbour])
            // "бюджеты" (another form) finds the budget article.
            #expect(try await ids("?search=%D0%B1%D1%8E%D0%B4%D0%B6%D0%B5%D1%82%D1%8B") == [budget])
            #expect(try await ids("?search=%D0%BA%D0%BE%D1%81%D0%BC%D0%BE%D1%81") == [])  // космос

            // Pages of two: 2 + 2 + 1, each cursor leading to the next, the last one null.
            var seen: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let query = "?limit=2" + (cursor.map { "&cursor=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" } ?? "")
                let response = try await client.send(.get, "/articles\(query)", token: fixture.token("bob"))
                #expect(response.status == .ok, "\(response.text)")
                let page = response.object
                let items = (page["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                #expect(items.count <= 2)
                seen += items
                #expect(page.keys.contains("nextCursor"), "nextCursor must always be present: \(response.text)")
                cursor = page["nextCursor"] as? String
                pages += 1
            } while cursor != nil && pages < 10
            #expect(pages == 3)
            #expect(seen.count == 5, "duplicates or missing: \(seen)")
            #expect(Set(seen) == all)

            // Bad state, limit, cursor: 400.
            for query in ["?state=live", "?limit=0", "?limit=501", "?limit=abc", "?limit=-1", "?cursor=zzz", "?cursor=bm9wZQ=="] {
                let response = try await client.send(.get, "/articles\(query)", token: fixture.token("bob"))
                expectProblem(response, .badRequest, query)
            }
        }
    }

    @Test("?version= and ?at= show the past; ?from=&to= diffs two versions")
    func timeTravelAndDiff() async throws {
        // Each command a second after the one before, so every version has an instant of its own.
        let clock = SteppingClock(start: Date(timeIntervalSince1970: 1_772_355_600), step: 1)
        let fixture = try await HTTPFixture { clock.next() }
        try await fixture.application().test(.router) { client in
            let alice = fixture.token("alice")
            let (id, _) = try await client.draft(
                token: alice, title: "Порт", lead: "Порт открылся.", body: "Асхад Сыздыков выступил.", section: "Город")
            let edited = try await client.send(
                .patch, "/articles/\(id)", token: alice, json: #"{"body": "Асхат Сыздыков выступил."}"#)
            #expect(edited.status == .ok)
            #expect(try await client.send(.post, "/articles/\(id)/submit", token: alice).status == .ok)

            let v1 = try await client.send(.get, "/articles/\(id)?version=1", token: fixture.token("bob"))
            #expect(v1.status == .ok)
            #expect(v1.object["version"] as? Int == 1)
            #expect(v1.object["state"] as? String == "draft")
            #expect(v1.object["body"] as? String == "Асхад Сыздыков выступил.")
            #expect(v1.headers[.eTag] == "\"1\"")
            let v2 = try await client.send(.get, "/articles/\(id)?version=2", token: fixture.token("bob"))
            #expect(v2.object["body"] as? String == "Асхат Сыздыков выступил.")
            #expect(v2.object["state"] as? String == "draft")
            let now = try await client.send(.get, "/articles/\(id)", token: fixture.token("bob"))
            #expect(now.object["state"] as? String == "in_review")
            #expect(now.object["version"] as? Int == 3)

            // ?at= each moment the history reports gives exactly that version.
            let history = try await client.send(.get, "/articles/\(id)/history", token: fixture.token("bob")).array
            #expect(history.count == 3)
            for entry in history {
                let at = try #require(entry["at"] as? String)
                let version = try #require(entry["version"] as? Int)
                let encoded = at.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                let past = try await client.send(.get, "/articles/\(id)?at=\(encoded)", token: fixture.token("bob"))
                #expect(past.status == .ok, "\(at): \(past.text)")
                #expect(past.object["version"] as? Int == version, "at=\(at) gave \(past.text)")
            }
            let future = try await client.send(.get, "/articles/\(id)?at=2999-01-01T00:00:00Z", token: fixture.token("bob"))
            #expect(future.object["version"] as? Int == 3)
            expectProblem(
                try await client.send(.get, "/articles/\(id)?at=yesterday", token: fixture.token("bob")), .badRequest, "bad at")
            expectProblem(
                try await client.send(.get, "/articles/\(id)?version=1&at=2999-01-01T00:00:00Z", token: fixture.token("bob")),
                .badRequest, "version and at")
            let missingVersion = try await client.send(.get, "/articles/\(id)?version=9", token: fixture.token("bob"))
            #expect(missingVersion.status.code / 100 == 4, "\(missingVersion.text)")
            #expect(missingVersion.headers[.contentType] == "application/problem+json")
            let beforeDraft = try await client.send(.get, "/articles/\(id)?at=2000-01-01T00:00:00Z", token: fixture.token("bob"))
            #expect(beforeDraft.status.code / 100 == 4, "\(beforeDraft.text)")

            // The diff between the draft and the edit: only the body changed, Асхад → Асхат.
            let diff = try await client.send(.get, "/articles/\(id)/diff?from=1&to=2", token: fixture.token("bob"))
            #expect(diff.status == .ok, "\(diff.text)")
            let object = diff.object
            #expect(object["from"] as? Int == 1)
            #expect(object["to"] as? Int == 2)
            let fields = object["fields"] as? [[String: Any]] ?? []
            #expect(fields.map { $0["field"] as? String } == ["title", "lead", "body", "section", "tags"])
            #expect(fields.filter { $0["changed"] as? Bool == true }.map { $0["field"] as? String } == ["body"])
            let body = fields.first { $0["field"] as? String == "body" }?["segments"] as? [[String: Any]] ?? []
            let removed = body.filter { $0["kind"] as? String == "removed" }.compactMap { $0["text"] as? String }
            let added = body.filter { $0["kind"] as? String == "added" }.compactMap { $0["text"] as? String }
            #expect(removed.joined().contains("Асхад"))
            #expect(added.joined().contains("Асхат"))
            // Default: the last two texts, the same here.
            let latest = try await client.send(.get, "/articles/\(id)/diff", token: fixture.token("bob"))
            #expect(latest.object["from"] as? Int == 1)
            #expect(latest.object["to"] as? Int == 2)
            expectProblem(
                try await client.send(.get, "/articles/\(id)/diff?from=1", token: fixture.token("bob")), .badRequest,
                "from without to")
            expectProblem(
                try await client.send(.get, "/articles/\(id)/diff?from=x&to=2", token: fixture.token("bob")), .badRequest,
                "from not a number")
        }
    }
}
