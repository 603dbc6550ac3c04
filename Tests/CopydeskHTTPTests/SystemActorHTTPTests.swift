import Copydesk
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("HTTP: the system's steps are marked as such")
struct SystemActorHTTPTests {
    @Test("history and the audit export (JSON lines and CSV) give actorKind system for the scheduler's publication only")
    func marked() async throws {
        // Commands over HTTP happen an hour ago, so a time a minute ago is still a future schedule.
        let fixture = try await HTTPFixture { Date.now.addingTimeInterval(-3600) }
        try await fixture.application().test(.router) { client in
            let (id, _) = try await client.draft(token: fixture.token("alice"), title: "Embargo")
            #expect(try await client.send(.post, "/articles/\(id)/submit", token: fixture.token("alice")).status == .ok)
            #expect(try await client.send(.post, "/articles/\(id)/approve", token: fixture.token("bob")).status == .ok)
            let at = ISO8601DateFormatter().string(from: Date.now.addingTimeInterval(-60))
            let scheduled = try await client.send(
                .post, "/articles/\(id)/publish", token: fixture.token("carol"), json: #"{"at": "\#(at)"}"#)
            #expect(scheduled.status == .ok, "\(scheduled.text)")
            let published = try await Scheduler(commands: CommandService(store: fixture.app.store)).publishDue()
            #expect(published.count == 1)

            let bob = fixture.token("bob")
            let history = try await client.send(.get, "/articles/\(id)/history", token: bob).array
            #expect(history.map { $0["actorKind"] as? String } == ["person", "person", "person", "person", "system"])
            #expect(history.last?["actor"] as? String == "scheduler")

            let lines = try await client.send(.get, "/audit?article=\(id)", token: bob).text.split(separator: "\n")
            let kinds = try lines.map { line in
                (try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["actorKind"] as? String
            }
            #expect(kinds == ["person", "person", "person", "person", "system"])

            let csv = try await client.send(.get, "/audit?article=\(id)", token: bob, headers: [.accept: "text/csv"]).text
            // The last two columns are actor_kind and then user, empty on an article's rows.
            let rows = csv.split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
            #expect(rows.first?.suffix(2) == ["actor_kind", "user"])
            let lastTwo = rows.dropFirst().map { Array($0.suffix(2)) }
            #expect(lastTwo.map(\.first) == ["person", "person", "person", "person", "system"])
            #expect(lastTwo.allSatisfy { $0.last == "" })
        }
    }
}
