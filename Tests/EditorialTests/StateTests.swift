import Editorial
import Foundation
import Testing

@Suite("Article state, allowed commands and refusal messages")
struct StateTests {
    typealias F = Fixture

    @Test("a draft starts at version 1 with its author as the only contributor")
    func drafted() throws {
        let article = try #require(ArticleDecider.fold([F.drafted]))
        #expect(
            article
                == Article(
                    id: F.id, status: .draft, version: 1, content: F.content, author: "alice",
                    createdAt: F.minute(0), updatedAt: F.minute(0), originalDate: "2014-05-11",
                    live: nil, pendingRevision: false, contributors: ["alice"], scheduledFor: nil
                ))
        #expect(ArticleDecider.initialState == nil)
    }

    @Test("the version counts every event, comments included")
    func versionCountsEvents() throws {
        var events: [ArticleEvent] = []
        let commands = [
            F.command(F.alice, .draft(id: F.id, content: F.content, originalDate: nil)),
            F.command(F.erin, .comment(text: "1")),
            F.command(F.alice, .edit(ContentChanges(lead: "Лид"), note: nil)),
            F.command(F.alice, .submit),
            F.command(F.erin, .comment(text: "2")),
            F.command(F.erin, .approve(note: nil)),
            F.command(F.pat, .publish(at: nil)),
        ]
        for (index, command) in commands.enumerated() {
            events = try history(events, then: [command])
            #expect(ArticleDecider.fold(events)?.version == Int64(index + 1))
        }
    }

    @Test("updatedAt follows content and status changes, not comments")
    func updatedAt() throws {
        let events = try history(
            [F.drafted],
            then: [
                F.command(F.alice, .edit(ContentChanges(body: "Текст"), note: nil), at: F.minute(2)),
                F.command(F.erin, .comment(text: "Хорошо"), at: F.minute(3)),
            ])
        let edited = try #require(ArticleDecider.fold(events))
        #expect(edited.updatedAt == F.minute(2))
        #expect(edited.createdAt == F.minute(0))

        let submitted = try history(events, then: [F.command(F.alice, .submit, at: F.minute(4))])
        #expect(ArticleDecider.fold(submitted)?.updatedAt == F.minute(4))
    }

    @Test("evolve ignores events for an article that does not exist")
    func evolveWithoutArticle() {
        #expect(ArticleDecider.evolve(nil, F.submitted) == nil)
        #expect(ArticleDecider.fold([F.submitted, F.approved]) == nil)
    }

    @Test("allowed commands depend on status, role, ownership and four-eyes")
    func allowedCommands() throws {
        let allowed = ArticleDecider.allowedCommands
        #expect(allowed(F.alice, nil) == [.draft])
        #expect(allowed(F.pat, nil) == [.draft])

        let draft = ArticleDecider.fold(F.history(.draft))
        #expect(allowed(F.alice, draft) == [.edit, .revert, .submit, .comment])
        #expect(allowed(F.dave, draft) == [.comment])
        #expect(allowed(F.erin, draft) == [.edit, .revert, .submit, .archive, .comment])

        let review = ArticleDecider.fold(F.history(.inReview))
        #expect(allowed(F.alice, review) == [.comment])
        #expect(allowed(F.erin, review) == [.edit, .revert, .requestChanges, .approve, .comment])

        let approved = ArticleDecider.fold(F.history(.approved))
        #expect(allowed(F.erin, approved) == [.edit, .revert, .comment])
        #expect(allowed(F.pat, approved) == [.edit, .revert, .publish, .comment])

        // The scheduler's own command is offered to the scheduler alone, never to a person.
        let scheduled = ArticleDecider.fold(F.history(.scheduled))
        #expect(allowed(F.scheduler, scheduled) == [.edit, .revert, .unschedule, .publishDue, .comment])
        #expect(allowed(F.pat, scheduled) == [.edit, .revert, .unschedule, .comment])
        #expect(allowed(F.ada, scheduled) == [.edit, .revert, .unschedule, .comment])

        let published = ArticleDecider.fold(F.history(.published))
        #expect(allowed(F.alice, published) == [.edit, .revert, .comment])
        #expect(allowed(F.ada, published) == [.edit, .revert, .unpublish, .comment])

        let unpublished = ArticleDecider.fold(F.history(.unpublished))
        #expect(allowed(F.erin, unpublished) == [.edit, .revert, .archive, .comment])
        #expect(allowed(F.pat, unpublished) == [.edit, .revert, .publish, .archive, .comment])

        let archived = ArticleDecider.fold(F.history(.archived))
        #expect(allowed(F.erin, archived) == [])
        #expect(allowed(F.pat, archived) == [.restore])
        #expect(allowed(F.ada, archived) == [.restore])
    }

    @Test("no person is ever offered an internal command, in any state")
    func internalCommandsHidden() {
        let people = [F.alice, F.dave, F.erin, F.pat, F.ada]
        for status in [nil] + ArticleStatus.allCases.map(Optional.some) {
            let article = ArticleDecider.fold(F.history(status))
            for person in people {
                let offered = ArticleDecider.allowedCommands(for: person, on: article)
                #expect(!offered.contains { $0.isInternal }, "\(person) on \(status?.rawValue ?? "nothing")")
            }
        }
    }

    @Test("no dead ends: in every state someone may move the article on")
    func noDeadEnds() {
        let people = [F.alice, F.erin, F.pat, F.ada]
        for status in ArticleStatus.allCases {
            let article = ArticleDecider.fold(F.history(status))
            let moves = Set(people.flatMap { ArticleDecider.allowedCommands(for: $0, on: article) })
                .subtracting([.comment])
            #expect(!moves.isEmpty, "\(status.rawValue)")
        }
    }

    @Test("a refusal reads as one line naming the command, the status and what is allowed")
    func refusalDescription() throws {
        let refused = try #require(when(F.command(F.alice, .publish(at: nil)), given: F.history(.draft)).failure)
        #expect(
            refused.description == "cannot publish: the article is draft; publishing needs an approved or unpublished "
                + "article. Allowed now for alice (author): edit, revert, submit, comment")

        let archived = try #require(when(F.command(F.erin, .comment(text: "?")), given: F.history(.archived)).failure)
        #expect(archived.description.hasSuffix("Allowed now for erin (editor): nothing"))
        #expect(archived.description.contains("archived"))

        let missing = try #require(when(F.command(F.erin, .submit), given: []).failure)
        #expect(missing.reason == .notFound)
        #expect(missing.status == nil)
        #expect(missing.description.hasSuffix("Allowed now for erin (editor): draft"))
    }

    @Test("every refusal description is a single line", arguments: TransitionTable.cells)
    func refusalsAreOneLine(_ cell: TransitionCell) {
        let multiline = Actor(name: "eve\nmallory", role: .author)
        let command = ArticleCommand(actor: multiline, at: F.now, action: TransitionTable.command(cell.command).action)
        if case .failure(let refusal) = when(command, given: F.history(cell.status)) {
            #expect(!refusal.description.contains("\n"))
            #expect(refusal.description.hasPrefix("cannot \(cell.command.rawValue): "))
            #expect(refusal.description.contains("Allowed now for eve mallory (author): "))
            if let status = cell.status {
                #expect(refusal.description.contains(status.rawValue))
            }
        }
    }

    @Test("command kinds and actions agree, and their spellings are stable")
    func commandKinds() {
        #expect(
            CommandKind.allCases.map(\.rawValue) == [
                "draft", "edit", "revert", "submit", "request-changes", "approve", "publish", "unschedule",
                "publish-due", "unpublish", "archive", "restore", "comment",
            ])
        for kind in CommandKind.allCases {
            #expect(TransitionTable.command(kind).action.kind == kind)
        }
        #expect(
            ArticleStatus.allCases.map(\.rawValue) == [
                "draft", "in_review", "changes_requested", "approved", "scheduled", "published", "unpublished",
                "archived",
            ])
    }
}
