import Editorial
import Foundation
import Testing

@Suite("Input limits: every text field at its limit is accepted, one over is refused naming the field and limit")
struct InputLimitTests {
    typealias F = Fixture

    /// A command with a text of `length` code points in one field, the status it runs in, who runs it, and the
    /// limit that field has.
    static func cases(_ length: Int) -> [(ArticleCommand.Action, ArticleStatus?, Actor, InputLimit)] {
        let text = String(repeating: "ж", count: length)
        return [
            (.draft(id: F.id, content: ArticleContent(title: text), originalDate: nil), nil, F.alice, .title),
            (.draft(id: F.id, content: ArticleContent(title: "T", lead: text), originalDate: nil), nil, F.alice, .lead),
            (.draft(id: F.id, content: ArticleContent(title: "T", body: text), originalDate: nil), nil, F.alice, .body),
            (.draft(id: F.id, content: ArticleContent(title: "T", section: text), originalDate: nil), nil, F.alice,
             .section),
            (.draft(id: F.id, content: ArticleContent(title: "T", tags: ["ok", text]), originalDate: nil), nil, F.alice,
             .tag),
            (.edit(ContentChanges(title: text), note: nil), .draft, F.alice, .title),
            (.edit(ContentChanges(lead: text), note: nil), .draft, F.alice, .lead),
            (.edit(ContentChanges(body: text), note: nil), .draft, F.alice, .body),
            (.edit(ContentChanges(section: text), note: nil), .draft, F.alice, .section),
            (.edit(ContentChanges(tags: [text]), note: nil), .draft, F.alice, .tag),
            (.edit(ContentChanges(title: "New"), note: text), .draft, F.alice, .note),
            (.requestChanges(reason: text), .inReview, F.erin, .reason),
            (.approve(note: text), .inReview, F.erin, .note),
            (.unpublish(reason: text), .published, F.pat, .reason),
            (.comment(text: text), .draft, F.alice, .comment),
        ]
    }

    /// Each case's index with the length at which it is exercised: its limit.
    static let indices = Array(cases(0).indices)

    static func lengthed(_ index: Int, over: Int) -> (ArticleCommand.Action, ArticleStatus?, Actor, InputLimit) {
        let limit = cases(0)[index].3
        return cases(limit.maximum + over)[index]
    }

    @Test("at the limit: accepted", arguments: indices)
    func atLimit(_ index: Int) {
        let (action, status, actor, _) = Self.lengthed(index, over: 0)
        #expect(action.exceededLimit == nil)
        #expect(throws: Never.self) { try when(F.command(actor, action), given: F.history(status)).get() }
    }

    @Test("one over: refused as over-limit, naming the field and the limit", arguments: indices)
    func overLimit(_ index: Int) {
        let (action, status, actor, limit) = Self.lengthed(index, over: 1)
        guard case .failure(let refusal) = when(F.command(actor, action), given: F.history(status)) else {
            Issue.record("\(limit.field) over its limit was accepted")
            return
        }
        #expect(refusal.reason == .overLimit)
        #expect(refusal.limit == limit)
        #expect(refusal.message.contains(limit.field), "\(refusal.message)")
        #expect(refusal.message.contains("at most \(limit.maximum)"), "\(refusal.message)")
        #expect(refusal.message.contains("\(limit.maximum + 1) characters"), "\(refusal.message)")
    }

    @Test("the documented limits")
    func documented() {
        #expect(InputLimit.all.map { "\($0.field) \($0.maximum)" } == [
            "title 1000", "lead 5000", "body 1000000", "section 100", "tag 100", "tags 50", "reason 10000",
            "note 10000", "comment 10000",
        ])
    }

    @Test("lengths count code points, so combining marks cannot pile up inside one character")
    func codePoints() {
        let accent = "е\u{301}"  // one character, two code points
        let fits = F.command(F.alice, .draft(id: F.id, content: ArticleContent(title: String(repeating: accent, count: 500)), originalDate: nil))
        #expect(throws: Never.self) { try when(fits, given: []).get() }
        let zalgo = "e" + String(repeating: "\u{301}", count: 1_000)  // one character, 1,001 code points
        let over = F.command(F.alice, .draft(id: F.id, content: ArticleContent(title: zalgo), originalDate: nil))
        #expect(outcome(of: over, given: []) == .refused(.overLimit))
    }

    @Test("50 tags are accepted, 51 refused naming the tag limit, duplicates included (as sent)")
    func tagCount() {
        func draft(_ tags: [String]) -> ArticleCommand {
            F.command(F.alice, .draft(id: F.id, content: ArticleContent(title: "T", tags: tags), originalDate: nil))
        }
        let fifty = (1...50).map { "tag\($0)" }
        #expect(throws: Never.self) { try when(draft(fifty), given: []).get() }
        #expect(throws: Never.self) { try when(draft(Array(repeating: " x ", count: 50)), given: []).get() }
        #expect(outcome(of: draft(fifty + ["tag1"]), given: []) == .refused(.overLimit))
        guard case .failure(let refusal) = when(draft(fifty + ["tag51"]), given: []) else {
            Issue.record("51 tags were accepted")
            return
        }
        #expect(refusal.reason == .overLimit && refusal.limit == .tags)
        #expect(refusal.message.contains("51 tags") && refusal.message.contains("at most 50"))
        let edit = F.command(F.alice, .edit(ContentChanges(tags: fifty + ["tag51"]), note: nil))
        #expect(outcome(of: edit, given: F.history(.draft)) == .refused(.overLimit))
        let twenty = F.command(F.alice, .edit(ContentChanges(tags: Array(repeating: "x", count: 20_000)), note: nil))
        #expect(outcome(of: twenty, given: F.history(.draft)) == .refused(.overLimit))
    }

    @Test("limits come after who may do what: an author over the limit on someone's approval hears about the role")
    func order() {
        let over = String(repeating: "x", count: InputLimit.reason.maximum + 1)
        let command = F.command(F.alice, .requestChanges(reason: over))
        #expect(outcome(of: command, given: F.history(.inReview)) == .refused(.roleTooLow))
    }
}

@Suite("Limits apply to commands, not to history")
struct InputLimitHistoryTests {
    typealias F = Fixture

    static let longTitle = String(repeating: "Д", count: 100_000)
    static let oldDraft = ArticleEvent.drafted(
        ArticleDrafted(
            id: F.id, content: ArticleContent(title: longTitle, section: longTitle, tags: [longTitle]),
            originalDate: nil, by: "alice", at: F.minute(0)))

    @Test("an event recorded before the limits, far over them, still folds")
    func oldEventsReplay() throws {
        let article = try #require(ArticleDecider.fold([Self.oldDraft]))
        #expect(article.content.title == Self.longTitle)
    }

    @Test("an edit that leaves an old oversized field alone is accepted; one that sets it is checked")
    func editBesideOldField() {
        let lead = F.command(F.alice, .edit(ContentChanges(lead: "Новый лид"), note: nil))
        #expect(throws: Never.self) { try when(lead, given: [Self.oldDraft]).get() }
        let title = F.command(F.alice, .edit(ContentChanges(title: Self.longTitle + "!"), note: nil))
        #expect(outcome(of: title, given: [Self.oldDraft]) == .refused(.overLimit))
    }
}

@Suite("Tags are trimmed, empty ones refused, duplicates removed")
struct TagNormalizationTests {
    typealias F = Fixture

    static func drafted(_ tags: [String]) -> Result<[String], Refusal> {
        let command = F.command(
            F.alice, .draft(id: F.id, content: ArticleContent(title: "T", tags: tags), originalDate: nil))
        return when(command, given: []).map { events in
            guard case .drafted(let drafted) = events.first else { return [] }
            return drafted.content.tags
        }
    }

    @Test("trimmed and deduplicated, the first of each kept in its place")
    func normalized() throws {
        #expect(try Self.drafted([" политика ", "регионы", "политика", "\tрегионы\n", "a", "a"]).get()
            == ["политика", "регионы", "a"])
        #expect(try Self.drafted(["Город", "город"]).get() == ["Город", "город"])
        #expect(try Self.drafted(["e\u{301}", "\u{e9}"]).get() == ["e\u{301}"])
        #expect(try Self.drafted(["in  between"]).get() == ["in  between"])
        #expect(try Self.drafted([]).get() == [])
    }

    @Test("an empty or blank tag is refused, naming its position", arguments: ["", " ", "\n", "\u{00A0}", "\u{3000}"])
    func emptyTag(_ blank: String) {
        guard case .failure(let refusal) = Self.drafted(["a", "a", blank, " "]) else {
            Issue.record("a blank tag was accepted")
            return
        }
        #expect(refusal.reason == .invalidContent)
        #expect(refusal.message.contains("tag 3 is empty"), "\(refusal.message)")
    }

    @Test("an edit's tags are normalized before deciding whether anything changes")
    func editTags() {
        let same = F.command(F.alice, .edit(ContentChanges(tags: [" регионы", "регионы "]), note: nil))
        #expect(outcome(of: same, given: F.history(.draft)) == .refused(.nothingToChange))
        let changed = F.command(F.alice, .edit(ContentChanges(tags: [" регионы", "спорт ", "спорт"]), note: nil))
        guard case .success(let events) = when(changed, given: F.history(.draft)),
            case .edited(let edited) = events.first
        else {
            Issue.record("the edit was refused")
            return
        }
        #expect(edited.changes.tags == ["регионы", "спорт"])
    }

    @Test("a tag's length is measured as sent, before trimming, as the API's maxLength measures it")
    func lengthAsSent() throws {
        let padded = " " + String(repeating: "x", count: InputLimit.tag.maximum - 1)
        #expect(try Self.drafted([padded]).get() == [String(repeating: "x", count: InputLimit.tag.maximum - 1)])
        guard case .failure(let refusal) = Self.drafted([padded + " "]) else {
            Issue.record("a tag over its limit as sent was accepted")
            return
        }
        #expect(refusal.limit == .tag)
    }
}
