import Copydesk
import Editorial
import Foundation
import Testing
import TestSupport

@Suite("Diffs between versions of an article, on a real database")
struct DiffTests {
    @Test("by default the last two versions that changed the text are compared, word by word")
    func defaultPair() async throws {
        let timeline = try await Timeline()
        let diff = try await timeline.fixture.app.queries.diff(timeline.id, from: nil, to: nil)
        #expect(diff.id == timeline.id && diff.from == 6 && diff.to == 11)
        #expect(diff.fields.map(\.field) == ["title", "lead", "body", "section", "tags"])
        #expect(diff.fields.filter(\.changed).map(\.field) == ["title"])
        #expect(diff.fields[0].segments == [
            DiffSegment(kind: .same, text: "Harbour "), DiffSegment(kind: .removed, text: "reopens"),
            DiffSegment(kind: .added, text: "reopened"),
        ])
        #expect(diff.fields[2].segments == [
            DiffSegment(kind: .same, text: "The harbour reopens after two years of works, the minister said.")
        ])
    }

    @Test("an explicit pair compares exactly those versions, either way round")
    func explicitPair() async throws {
        let timeline = try await Timeline()
        let queries = timeline.fixture.app.queries
        let body = try await queries.diff(timeline.id, from: 3, to: 6)
        #expect(body.fields.filter(\.changed).map(\.field) == ["body"])
        #expect(body.fields[2].segments == [
            DiffSegment(kind: .same, text: "The harbour reopens after two years of works"),
            DiffSegment(kind: .added, text: ", the minister said"), DiffSegment(kind: .same, text: "."),
        ])
        let backwards = try await queries.diff(timeline.id, from: 6, to: 3)
        #expect(backwards.fields[2].segments.map(\.kind) == [.same, .removed, .same])

        let lead = try await queries.diff(timeline.id, from: 1, to: 2)
        #expect(lead.fields.filter(\.changed).map(\.field) == ["lead"])
        #expect(lead.fields[1].segments == [DiffSegment(kind: .added, text: "Ships are back.")])
    }

    @Test("versions with the same text, or a version with itself, show no change")
    func noChange() async throws {
        let timeline = try await Timeline()
        let queries = timeline.fixture.app.queries
        for (from, to) in [(Int64(6), Int64(9)), (7, 7), (11, 13)] {
            let diff = try await queries.diff(timeline.id, from: from, to: to)
            #expect(diff.fields.allSatisfy { !$0.changed && $0.segments.allSatisfy { $0.kind == .same } })
        }
    }

    @Test("unknown articles, missing versions and a text with one version are clear errors")
    func errors() async throws {
        let timeline = try await Timeline()
        let queries = timeline.fixture.app.queries
        let unknown = UUID()
        await #expect(throws: WorkflowError.articleNotFound(unknown)) {
            try await queries.diff(unknown, from: nil, to: nil)
        }
        await #expect(throws: WorkflowError.invalidInput(
            "article \(timeline.id.lowercased) has versions 1...\(Timeline.count); there is no version 99")
        ) {
            try await queries.diff(timeline.id, from: 3, to: 99)
        }
        await #expect(throws: WorkflowError.self) { try await queries.diff(timeline.id, from: 3, to: nil) }

        let single = try await timeline.fixture.draft(ArticleContent(title: "Only once"))
        try await timeline.fixture.run(.submit, on: single, as: timeline.fixture.alice)
        let error = await #expect(throws: WorkflowError.self) { try await queries.diff(single, from: nil, to: nil) }
        guard case .invalidInput(let message) = error else {
            Issue.record("expected invalid input, got \(String(describing: error))")
            return
        }
        #expect(message.contains("only one version of its text"))
    }

    @Test("tags are diffed as the list people read")
    func tags() {
        let diff = ArticleDiff(
            id: UUID(), from: 1, to: 2, old: ArticleContent(title: "T", tags: ["port", "city"]),
            new: ArticleContent(title: "T", tags: ["port", "harbour"]))
        #expect(diff.fields.filter(\.changed).map(\.field) == ["tags"])
        #expect(diff.fields[4].segments == [
            DiffSegment(kind: .same, text: "port, "), DiffSegment(kind: .removed, text: "city"),
            DiffSegment(kind: .added, text: "harbour"),
        ])
    }

    @Test("copydesk diff marks words like git --word-diff off a terminal, prints JSON, and exits as documented")
    func command() async throws {
        let timeline = try await Timeline()
        let cli = CLI(databaseURL: timeline.fixture.database.ownerConninfo)
        let id = timeline.id.lowercased

        let text = try cli("diff", id)
        #expect(text.status == 0)
        #expect(text.stdout.contains("version 6 → version 11"))
        #expect(text.stdout.contains("title:\nHarbour [-reopens-]{+reopened+}"))
        #expect(text.stdout.contains("unchanged: lead, body, section, tags"))
        #expect(!text.stdout.contains("\u{1B}["))

        let body = try cli("diff", id, "3", "6")
        #expect(body.stdout.contains("body:\nThe harbour reopens after two years of works{+, the minister said+}."))
        #expect(try cli("diff", id, "6", "9").stdout.contains("no change to the text"))

        let json = try cli("diff", id, "1", "2", "--json")
        #expect(json.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object.keys.sorted() == ["fields", "from", "id", "to"])
        #expect(object["from"] as? Int == 1 && object["to"] as? Int == 2)
        let fields = try #require(object["fields"] as? [[String: Any]])
        #expect(fields.map { $0["field"] as? String } == ["title", "lead", "body", "section", "tags"])
        #expect(fields[1]["changed"] as? Bool == true && fields[0]["changed"] as? Bool == false)
        let segments = try #require(fields[1]["segments"] as? [[String: Any]])
        #expect(segments.first?["kind"] as? String == "added")
        #expect(segments.first?["text"] as? String == "Ships are back.")

        #expect(try cli("diff", id, "3").status == 64)
        let missing = try cli("diff", id, "0", "3")
        #expect(missing.status == 5 && missing.stderr.contains("there is no version 0"))
        #expect(try cli("diff", UUID().uuidString).status == 4)
    }
}
