import Copydesk
import Editorial
import EventStore
import Foundation
import Testing
import TestSupport

@Suite("Time travel: an article at any version or instant, on a real database")
struct TimeTravelTests {
    @Test("every version folds to the same view time travel shows; the last one is what the projection holds")
    func everyVersion() async throws {
        let timeline = try await Timeline()
        let events = try await timeline.fixture.app.store.readStream(ArticleStream.name(for: timeline.id))
            .map(ArticleStream.decode)
        #expect(events.count == Timeline.count)
        let queries = timeline.fixture.app.queries
        for version in 1...Int64(events.count) {
            let view = try #require(try await queries.article(timeline.id, atVersion: version))
            let folded = try #require(ArticleDecider.fold(Array(events.prefix(Int(version)))))
            #expect(view == ArticleView(article: folded))
            #expect(view.version == version)
        }
        let last = try #require(try await queries.article(timeline.id, atVersion: Int64(events.count)))
        let projected = try #require(try await queries.article(timeline.id))
        #expect(try Self.normalized(last) == Self.normalized(projected))
    }

    @Test("a version in between shows its state, text and the live revision of that time")
    func versionsInBetween() async throws {
        let timeline = try await Timeline()
        let queries = timeline.fixture.app.queries
        let changesRequested = try #require(try await queries.article(timeline.id, atVersion: 5))
        #expect(changesRequested.state == "changes_requested")
        #expect(changesRequested.body == "The harbour reopens after two years of works.")

        let approved = try #require(try await queries.article(timeline.id, atVersion: 9))
        #expect(approved.state == "approved" && approved.live == nil)
        #expect(approved.body.contains("the minister"))

        let pending = try #require(try await queries.article(timeline.id, atVersion: 11))
        #expect(pending.state == "published" && pending.pendingRevision)
        #expect(pending.title == "Harbour reopened")
        let live = try #require(pending.live)
        #expect(live.title == "Harbour reopens" && live.publishedBy == "carol")
        #expect(live.body == approved.body)
    }

    @Test("versions the article does not have are refused, naming the ones it has; unknown ids are nil")
    func badVersions() async throws {
        let timeline = try await Timeline()
        let queries = timeline.fixture.app.queries
        let count = Timeline.count
        for version: Int64 in [0, -1, Int64(count + 1)] {
            await #expect(throws: WorkflowError.invalidInput(
                "article \(timeline.id.lowercased) has versions 1...\(count); there is no version \(version)"
            )) {
                try await queries.article(timeline.id, atVersion: version)
            }
        }
        #expect(try await queries.article(UUID(), atVersion: 1) == nil)
        #expect(try await queries.article(UUID(), at: Date()) == nil)
    }

    @Test("an instant between two events shows the earlier state; before the draft it is refused")
    func instants() async throws {
        let timeline = try await Timeline()
        let queries = timeline.fixture.app.queries
        let history = try await queries.history(timeline.id)
        for index in history.indices.dropLast() {
            let between = history[index].at.addingTimeInterval(
                history[index + 1].at.timeIntervalSince(history[index].at) / 2)
            let view = try #require(try await queries.article(timeline.id, at: between))
            #expect(view.version == history[index].version)
            #expect(view.state == history[index].stateAfter)
            let exactly = try #require(try await queries.article(timeline.id, at: history[index].at))
            #expect(exactly.version == history[index].version)
        }
        let now = try #require(try await queries.article(timeline.id, at: Date()))
        #expect(now.version == Int64(Timeline.count))

        let before = history[0].at.addingTimeInterval(-1)
        let error = await #expect(throws: WorkflowError.self) { try await queries.article(timeline.id, at: before) }
        guard case .invalidInput(let message) = error else {
            Issue.record("expected invalid input, got \(String(describing: error))")
            return
        }
        #expect(message.contains("did not exist yet") && message.contains(EventTimestamp.string(from: history[0].at)))
    }

    @Test("show --version and --at print the past article in the usual shapes, with the documented statuses")
    func command() async throws {
        let timeline = try await Timeline()
        let cli = CLI(databaseURL: timeline.fixture.database.ownerConninfo)
        let id = timeline.id.lowercased
        let history = try await timeline.fixture.app.queries.history(timeline.id)

        let approved = try cli("show", id, "--version", "9")
        #expect(approved.status == 0)
        #expect(approved.stdout.contains("state:    approved (version 9)"))
        #expect(approved.stdout.contains("live:     no"))

        let between = history[4].at.addingTimeInterval(30)
        let json = try cli("show", id, "--at", EventTimestamp.string(from: between), "--json")
        #expect(json.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["state"] as? String == "changes_requested")
        #expect(object?["version"] as? Int == 5)
        #expect(object?.keys.sorted() == (try JSONSerialization.jsonObject(
            with: Data(try cli("show", id, "--json").stdout.utf8)) as? [String: Any])?.keys.sorted())

        #expect(try cli("show", id, "--version", "2", "--at", "2026-01-01T00:00:00Z").status == 64)
        let missing = try cli("show", id, "--version", "99")
        #expect(missing.status == 5 && missing.stderr.contains("there is no version 99"))
        let early = try cli("show", id, "--at", "2000-01-01T00:00:00Z")
        #expect(early.status == 5 && early.stderr.contains("did not exist yet"))
        #expect(try cli("show", UUID().uuidString, "--version", "1").status == 4)
        #expect(try cli("show", id, "--at", "yesterday").status == 64)
    }

    /// The view as JSON with millisecond times: the projection's `timestamptz` and the events' millisecond text
    /// decode the same instant into `Date`s that may differ in the last bit.
    static func normalized(_ view: ArticleView) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(EventTimestamp.string(from: date))
        }
        return String(decoding: try encoder.encode(view), as: UTF8.self)
    }
}

/// A mixed article whose every step happens a minute after the one before, so instants between steps are known.
struct Timeline {
    let fixture: WorkflowFixture
    let id: UUID

    /// How many events the article has.
    static let count = steps(UUID()).count

    /// Who does what, in order; version N is the state after step N.
    static func steps(_ id: UUID) -> [(actor: KeyPath<WorkflowFixture, Actor>, action: ArticleCommand.Action)] {
        let draft = ArticleContent(title: "Harbour reopens", section: "City", tags: ["port", "city"])
        return [
            (\.alice, .draft(id: id, content: draft, originalDate: nil)),
            (\.alice, .edit(ContentChanges(lead: "Ships are back."), note: "a lead")),
            (\.alice, .edit(ContentChanges(body: "The harbour reopens after two years of works."), note: nil)),
            (\.alice, .submit),
            (\.bob, .requestChanges(reason: "Name the minister")),
            (\.alice, .edit(ContentChanges(body: "The harbour reopens after two years of works, the minister said."),
                            note: "named the minister")),
            (\.alice, .submit),
            (\.bob, .comment(text: "Check the photo credit")),
            (\.bob, .approve(note: nil)),
            (\.carol, .publish(at: nil)),
            (\.dave, .edit(ContentChanges(title: "Harbour reopened"), note: "tense")),
            (\.bob, .comment(text: "Fine by me")),
            (\.dave, .submit),
        ]
    }

    init() async throws {
        fixture = try await WorkflowFixture()
        id = UUID()
        let clock = SteppingClock(start: Date(timeIntervalSince1970: 1_772_355_600), step: 60)  // 2026-03-01T09:00Z
        let service = CommandService(store: fixture.app.store, now: { clock.next() })
        for step in Self.steps(id) {
            _ = try await service.handle(WorkflowCommand(
                article: id, actor: fixture[keyPath: step.actor], action: step.action, origin: .cli))
        }
    }
}
