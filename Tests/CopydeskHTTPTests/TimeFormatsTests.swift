import Copydesk
import Editorial
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Postgres
import Testing
import TestSupport

/// The same 1,000 events, read through every output that shows their times: the CLI's audit
/// table, CSV and JSON lines, `GET /audit` as JSON lines and CSV, `events`, `history --json` and
/// `GET /articles/{id}/history`. Every one must write each event's time exactly as PostgreSQL
/// shows it (the audit CSV once wrote .813 where the database held .814).
@Suite("Times: one event, one time, in every output")
struct TimeFormatsTests {
    static let articles = 10
    static let commentsPerArticle = 97  // draft + 97 comments + submit + approve: 100 events each

    @Test("1,000 events have identical times in every format, equal to the database's own")
    func identicalEverywhere() async throws {
        // A clock that lands on every millisecond value, read the way the system clock is (not
        // on whole milliseconds), from 2026-11-25T10:00:50.814Z.
        let clock = SteppingClock(start: Date(timeIntervalSince1970: 1_795_600_850.814), step: 0.137_3)
        let fixture = try await HTTPFixture { clock.next() }
        let ids = try await Self.writeEvents(fixture)
        // The audit log holds the fixture's users' events too; articles' histories only the articles'.
        let expected = try await Self.databaseTimes(fixture)
        let articles = try await Self.databaseTimes(fixture, where: "article_id IS NOT NULL")
        #expect(articles.count == Self.articles * (Self.commentsPerArticle + 3))
        #expect(expected.count == articles.count + HTTPFixture.userEventTypes.count)
        #expect(Set(expected.values.map { $0.suffix(4) }).count > 300, "the times cover many milliseconds")

        let cli = CLI(databaseURL: fixture.database.ownerConninfo)
        let table = try cli("audit", "--format", "table")
        #expect(table.status == 0, "\(table.stderr)")
        let tableTimes = Self.times(table.stdout.split(separator: "\n").dropFirst().map { line in
            let cells = line.split(separator: " ", maxSplits: 2)
            return (String(cells[0]), String(cells[1]))
        })
        Self.expectSame(tableTimes, expected, "audit --format table")
        let csv = try cli("audit", "--format", "csv")
        Self.expectSame(Self.csvTimes(csv.stdout), expected, "audit --format csv")
        let jsonl = try cli("audit", "--format", "jsonl")
        Self.expectSame(Self.times(jsonLines: jsonl.stdout, time: "at"), expected, "audit --format jsonl")

        try await fixture.application().test(.router) { client in
            let bob = fixture.token("bob")
            let lines = try await client.send(.get, "/audit", token: bob)
            Self.expectSame(Self.times(jsonLines: lines.text, time: "at"), expected, "GET /audit")
            let csv = try await client.send(.get, "/audit", token: bob, headers: [.accept: "text/csv"])
            Self.expectSame(Self.csvTimes(csv.text), expected, "GET /audit as CSV")
            var history: [String: String] = [:]
            for id in ids {
                let entries = try await client.send(.get, "/articles/\(id.lowercased)/history", token: bob).array
                history.merge(Self.times(entries.map { ("\($0["position"] ?? "")", "\($0["at"] ?? "")") })) { $1 }
            }
            Self.expectSame(history, articles, "GET /articles/{id}/history")
        }

        var history: [String: String] = [:]
        for id in ids {
            let run = try cli("history", id.lowercased, "--json")
            let entries = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]] ?? []
            history.merge(Self.times(entries.map { ("\($0["position"] ?? "")", "\($0["at"] ?? "")") })) { $1 }
        }
        Self.expectSame(history, articles, "history --json")

        // The global log shows an event once every older transaction in the cluster has ended.
        var events = ""
        _ = try await eventually(timeout: .seconds(30)) {
            events = try cli("events").stdout
            return events.split(separator: "\n").count >= expected.count
        }
        let feed = events.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        let eventTimes = Self.times(feed.map { ("\($0["position"] ?? "")", ($0["data"] as? [String: Any])?["at"] as? String ?? "") })
        Self.expectSame(eventTimes, expected, "events (data.at)")
        let recorded = Self.times(feed.map { ("\($0["position"] ?? "")", $0["recordedAt"] as? String ?? "") })
        Self.expectSame(recorded, try await Self.databaseTimes(fixture, column: "recorded_at", table: "events"), "events (recordedAt)")
    }

    @Test("a row selected with --since T is never shown earlier than T")
    func sinceFilterAgreesWithShownTimes() async throws {
        let clock = SteppingClock(start: Date(timeIntervalSince1970: 1_795_600_850.814), step: 0.001)
        let fixture = try await HTTPFixture { clock.next() }
        let id = try await Self.article(fixture.app, comments: 40)
        let expected = try await Self.databaseTimes(fixture, where: "article_id = '\(id.lowercased)'")
        #expect(expected.count == 43)
        let cli = CLI(databaseURL: fixture.database.ownerConninfo)
        for since in expected.values.sorted().enumerated().filter({ $0.offset % 7 == 3 }).map(\.element) {
            let shown = Self.csvTimes(try cli("audit", "--format", "csv", "--article", id.lowercased, "--since", since).stdout)
            #expect(!shown.isEmpty && shown.values.allSatisfy { $0 >= since }, "--since \(since): \(shown.values.sorted())")
            #expect(shown.count == expected.values.filter { $0 >= since }.count, "--since \(since)")
        }
    }

    // MARK: - Writing the events

    /// Ten articles of a hundred events each, written four articles at a time.
    static func writeEvents(_ fixture: HTTPFixture) async throws -> [UUID] {
        let app = fixture.app
        return try await withThrowingTaskGroup(of: UUID.self) { group in
            var ids: [UUID] = []
            for index in 0..<articles {
                if index >= 4, let id = try await group.next() { ids.append(id) }
                group.addTask { try await article(app, comments: commentsPerArticle) }
            }
            for try await id in group { ids.append(id) }
            return ids
        }
    }

    /// Drafts an article, comments on it `comments` times, submits and approves it.
    static func article(_ app: CopydeskApp, comments: Int) async throws -> UUID {
        let id = UUID()
        let alice = Actor(name: "alice", role: .author)
        let bob = Actor(name: "bob", role: .editor)
        var steps: [(Actor, ArticleCommand.Action)] = [
            (alice, .draft(id: id, content: ArticleContent(title: "Время \(id.lowercased.prefix(8))"), originalDate: nil))
        ]
        steps += (1...comments).map { (bob, .comment(text: "note \($0)")) }
        steps += [(alice, .submit), (bob, .approve(note: nil))]
        for (actor, action) in steps {
            _ = try await app.commands.handle(
                WorkflowCommand(article: id, actor: actor, action: action, origin: .http))
        }
        return id
    }

    // MARK: - Reading the times

    /// Every event's time by global position (of the rows `condition` keeps), as PostgreSQL itself
    /// writes it (`to_char` cuts to the millisecond).
    static func databaseTimes(
        _ fixture: HTTPFixture, column: String = "at", table: String = "audit_log", where condition: String = "true"
    ) async throws -> [String: String] {
        let owner = try await Connection.connect(to: fixture.database.ownerConninfo)
        let rows = try await owner.query(
            """
            SELECT global_position::text,
                   to_char(\(column) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS time
            FROM \(table)
            WHERE \(condition)
            """
        ).rows
        await owner.close()
        return Dictionary(uniqueKeysWithValues: try rows.map { (try $0.decode(0, as: String.self), try $0.decode(1, as: String.self)) })
    }

    static func times(_ pairs: [(position: String, time: String)]) -> [String: String] {
        Dictionary(pairs.map { ($0.position, $0.time) }) { first, _ in first }
    }

    static func times(jsonLines text: String, time key: String) -> [String: String] {
        times(text.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                return nil
            }
            return ("\(object["position"] ?? "")", object[key] as? String ?? "")
        })
    }

    /// Position and time, the first two CSV columns (the notes here hold no commas or quotes).
    static func csvTimes(_ text: String) -> [String: String] {
        times(text.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }.map { line in
            let fields = line.split(separator: ",", maxSplits: 2)
            return (String(fields[0]), String(fields[1]))
        })
    }

    static func expectSame(
        _ actual: [String: String], _ expected: [String: String], _ output: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(actual.count == expected.count, "\(output): \(actual.count) events", sourceLocation: sourceLocation)
        let differing = expected.keys.sorted().filter { actual[$0] != expected[$0] }
        let examples = differing.prefix(3).map { "position \($0): \(actual[$0] ?? "none"), database \(expected[$0]!)" }
        let count = differing.count
        #expect(count == 0, "\(output): times differ, e.g. \(examples)", sourceLocation: sourceLocation)
    }
}
