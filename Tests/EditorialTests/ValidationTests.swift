import Editorial
import Foundation
import Testing

@Suite("Input validation")
struct ValidationTests {
    typealias F = Fixture

    static let blanks = ["", " ", "   ", "\n", "\t \n", "\u{00A0}", "\u{3000}"]

    @Test("requesting changes needs a reason", arguments: blanks)
    func requestChangesReason(_ blank: String) {
        let command = F.command(F.erin, .requestChanges(reason: blank))
        #expect(outcome(of: command, given: F.history(.inReview)) == .refused(.reasonRequired))
    }

    @Test("unpublishing needs a reason", arguments: blanks)
    func unpublishReason(_ blank: String) {
        for status: ArticleStatus in [.published] {
            let command = F.command(F.pat, .unpublish(reason: blank))
            #expect(outcome(of: command, given: F.history(status)) == .refused(.reasonRequired))
        }
    }

    @Test("a comment needs text", arguments: blanks)
    func commentText(_ blank: String) {
        #expect(
            outcome(of: F.command(F.erin, .comment(text: blank)), given: F.history(.draft)) == .refused(.reasonRequired)
        )
    }

    @Test("a title must not be blank, when drafting or editing", arguments: blanks)
    func blankTitle(_ blank: String) {
        let draft = F.command(
            F.alice, .draft(id: F.id, content: ArticleContent(title: blank, body: "Текст"), originalDate: nil))
        #expect(outcome(of: draft, given: []) == .refused(.invalidContent))
        let edit = F.command(F.alice, .edit(ContentChanges(title: blank), note: nil))
        #expect(outcome(of: edit, given: F.history(.draft)) == .refused(.invalidContent))
    }

    @Test("a draft's original date must be a real yyyy-mm-dd date")
    func originalDate() {
        for bad in ["2014-13-01", "2014-02-30", "11.05.2014", "2014-5-11", "", "２０１４-05-11"] {
            let draft = F.command(F.alice, .draft(id: F.id, content: F.content, originalDate: bad))
            #expect(outcome(of: draft, given: []) == .refused(.invalidContent), "\(bad)")
        }
        for good in ["2014-05-11", "2016-02-29", "2000-02-29"] {
            let draft = F.command(F.alice, .draft(id: F.id, content: F.content, originalDate: good))
            guard case .events = outcome(of: draft, given: []) else {
                Issue.record("\(good) should be accepted")
                continue
            }
        }
    }

    @Test("an edit that changes nothing is refused")
    func nothingToChange() {
        let same = ContentChanges(
            title: F.content.title, lead: F.content.lead, body: F.content.body,
            section: F.content.section, tags: F.content.tags
        )
        for changes in [ContentChanges(), same, ContentChanges(section: F.content.section)] {
            let edit = F.command(F.erin, .edit(changes, note: "ничего"))
            #expect(outcome(of: edit, given: F.history(.draft)) == .refused(.nothingToChange))
        }
    }

    @Test("an edit records only the fields that really changed")
    func editRecordsOnlyDifferences() {
        let changes = ContentChanges(title: F.content.title, body: "Новый текст", tags: ["регионы", "экономика"])
        let edit = F.command(F.erin, .edit(changes, note: nil))
        #expect(
            outcome(of: edit, given: F.history(.draft))
                == .events([
                    .edited(
                        ArticleEdited(
                            changes: ContentChanges(body: "Новый текст", tags: ["регионы", "экономика"]),
                            by: "erin", at: F.now
                        )
                    )
                ]))
    }

    @Test("content is kept exactly, whitespace and all")
    func contentKeptExactly() throws {
        let spaced = ArticleContent(title: "  Заголовок \t", lead: "\nЛид ", body: "Текст\n\n", section: " ")
        let events = try history([], then: [F.command(F.alice, .draft(id: F.id, content: spaced, originalDate: nil))])
        #expect(ArticleDecider.fold(events)?.content == spaced)
    }

    @Test("content changes apply field by field and report emptiness")
    func contentChanges() {
        #expect(ContentChanges().isEmpty)
        #expect(!ContentChanges(tags: []).isEmpty)
        let changed = ContentChanges(lead: "Другой лид", tags: []).applied(to: F.content)
        #expect(
            changed
                == ArticleContent(
                    title: F.content.title, lead: "Другой лид", body: F.content.body, section: F.content.section,
                    tags: []
                ))
        #expect(ContentChanges(from: F.content, to: changed) == ContentChanges(lead: "Другой лид", tags: []))
        #expect(ContentChanges(from: F.content, to: F.content).isEmpty)
    }
}

@Suite("Texts with a NUL character are refused, naming the field")
struct NULTextTests {
    typealias F = Fixture

    /// A command with `text` in one field, the status it runs in, who runs it, and the field's name.
    static func cases(_ text: String) -> [(ArticleCommand.Action, ArticleStatus?, Actor, String)] {
        [
            (.draft(id: F.id, content: ArticleContent(title: "T" + text), originalDate: nil), nil, F.alice, "title"),
            (.draft(id: F.id, content: ArticleContent(title: "T", lead: text), originalDate: nil), nil, F.alice, "lead"),
            (.draft(id: F.id, content: ArticleContent(title: "T", body: text), originalDate: nil), nil, F.alice, "body"),
            (.draft(id: F.id, content: ArticleContent(title: "T", section: text), originalDate: nil), nil, F.alice,
             "section"),
            (.draft(id: F.id, content: ArticleContent(title: "T", tags: ["ok", text]), originalDate: nil), nil, F.alice,
             "tag"),
            (.edit(ContentChanges(body: text), note: nil), .draft, F.alice, "body"),
            (.edit(ContentChanges(tags: [text]), note: nil), .draft, F.alice, "tag"),
            (.edit(ContentChanges(title: "New"), note: text), .draft, F.alice, "note"),
            (.requestChanges(reason: text), .inReview, F.erin, "reason"),
            (.approve(note: text), .inReview, F.erin, "note"),
            (.unpublish(reason: text), .published, F.pat, "reason"),
            (.comment(text: text), .draft, F.alice, "comment"),
        ]
    }

    @Test("each text field of each command", arguments: cases("before\u{0}after").indices)
    func refused(_ index: Int) {
        let (action, status, actor, field) = Self.cases("before\u{0}after")[index]
        guard case .failure(let refusal) = when(F.command(actor, action), given: F.history(status)) else {
            Issue.record("\(action) was accepted")
            return
        }
        #expect(refusal.reason == .invalidContent)
        #expect(refusal.message.contains("the \(field) holds a NUL character"))
    }

    @Test("the same commands without the NUL are accepted", arguments: cases("before after").indices)
    func accepted(_ index: Int) {
        let (action, status, actor, _) = Self.cases("before after")[index]
        #expect(action.fieldHoldingNUL == nil)
        #expect(throws: Never.self) { try when(F.command(actor, action), given: F.history(status)).get() }
    }
}
