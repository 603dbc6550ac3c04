import Editorial
import Foundation
import Testing

/// A command run by someone of a given role on an article where the command's status fits.
struct RoleCell: Sendable, CustomTestStringConvertible {
    var command: CommandKind
    var role: Role
    /// nil: allowed.
    var refusal: Refusal.Reason?

    var testDescription: String {
        "\(command.rawValue) by \(role.rawValue)"
    }
}

@Suite("Roles and ownership")
struct RoleTests {
    typealias F = Fixture

    /// The article owner alice for authors; otherwise a user of that role who has not touched the article.
    static func actor(_ role: Role) -> Actor {
        switch role {
        case .author: F.alice
        case .editor: F.erin
        case .publisher: F.pat
        case .admin: F.ada
        }
    }

    /// A status in which the command is allowed, so only the role decides.
    static func status(for kind: CommandKind) -> ArticleStatus? {
        switch kind {
        case .draft: nil
        case .edit, .revert, .submit, .archive, .comment: .draft
        case .requestChanges, .approve: .inReview
        case .publish: .approved
        case .unschedule, .publishDue: .scheduled
        case .unpublish: .published
        case .restore: .archived
        }
    }

    static func action(_ kind: CommandKind) -> ArticleCommand.Action {
        switch kind {
        case .draft: .draft(id: F.id, content: F.content, originalDate: nil)
        case .edit: .edit(ContentChanges(lead: "Новый лид."), note: nil)
        case .revert:
            .revert(toVersion: 1, content: ContentChanges(lead: "Прежний лид.").applied(to: F.content), note: nil)
        case .submit: .submit
        case .requestChanges: .requestChanges(reason: "Больше фактов")
        case .approve: .approve(note: "Хорошо")
        case .publish: .publish(at: nil)
        case .unschedule: .unschedule(reason: nil)
        case .publishDue: .publishDue
        case .unpublish: .unpublish(reason: "Ошибка")
        case .archive: .archive
        case .restore: .restore(reason: nil)
        case .comment: .comment(text: "Заметка")
        }
    }

    static let cells: [RoleCell] = [
        RoleCell(command: .draft, role: .author, refusal: nil),
        RoleCell(command: .draft, role: .editor, refusal: nil),
        RoleCell(command: .draft, role: .publisher, refusal: nil),
        RoleCell(command: .draft, role: .admin, refusal: nil),
        RoleCell(command: .edit, role: .author, refusal: nil),
        RoleCell(command: .edit, role: .editor, refusal: nil),
        RoleCell(command: .edit, role: .publisher, refusal: nil),
        RoleCell(command: .edit, role: .admin, refusal: nil),
        RoleCell(command: .revert, role: .author, refusal: nil),
        RoleCell(command: .revert, role: .editor, refusal: nil),
        RoleCell(command: .revert, role: .publisher, refusal: nil),
        RoleCell(command: .revert, role: .admin, refusal: nil),
        RoleCell(command: .submit, role: .author, refusal: nil),
        RoleCell(command: .submit, role: .editor, refusal: nil),
        RoleCell(command: .submit, role: .publisher, refusal: nil),
        RoleCell(command: .submit, role: .admin, refusal: nil),
        RoleCell(command: .requestChanges, role: .author, refusal: .roleTooLow),
        RoleCell(command: .requestChanges, role: .editor, refusal: nil),
        RoleCell(command: .requestChanges, role: .publisher, refusal: nil),
        RoleCell(command: .requestChanges, role: .admin, refusal: nil),
        // The author is also a contributor: the role check comes before four-eyes.
        RoleCell(command: .approve, role: .author, refusal: .roleTooLow),
        RoleCell(command: .approve, role: .editor, refusal: nil),
        RoleCell(command: .approve, role: .publisher, refusal: nil),
        RoleCell(command: .approve, role: .admin, refusal: nil),
        RoleCell(command: .publish, role: .author, refusal: .roleTooLow),
        RoleCell(command: .publish, role: .editor, refusal: .roleTooLow),
        RoleCell(command: .publish, role: .publisher, refusal: nil),
        RoleCell(command: .publish, role: .admin, refusal: nil),
        RoleCell(command: .unschedule, role: .author, refusal: .roleTooLow),
        RoleCell(command: .unschedule, role: .editor, refusal: .roleTooLow),
        RoleCell(command: .unschedule, role: .publisher, refusal: nil),
        RoleCell(command: .unschedule, role: .admin, refusal: nil),
        // The scheduler's own command: no person runs it, whatever their role (only `Actor.scheduler` does).
        RoleCell(command: .publishDue, role: .author, refusal: .roleTooLow),
        RoleCell(command: .publishDue, role: .editor, refusal: .roleTooLow),
        RoleCell(command: .publishDue, role: .publisher, refusal: .roleTooLow),
        RoleCell(command: .publishDue, role: .admin, refusal: .roleTooLow),
        RoleCell(command: .unpublish, role: .author, refusal: .roleTooLow),
        RoleCell(command: .unpublish, role: .editor, refusal: .roleTooLow),
        RoleCell(command: .unpublish, role: .publisher, refusal: nil),
        RoleCell(command: .unpublish, role: .admin, refusal: nil),
        RoleCell(command: .archive, role: .author, refusal: .roleTooLow),
        RoleCell(command: .archive, role: .editor, refusal: nil),
        RoleCell(command: .archive, role: .publisher, refusal: nil),
        RoleCell(command: .archive, role: .admin, refusal: nil),
        RoleCell(command: .restore, role: .author, refusal: .roleTooLow),
        RoleCell(command: .restore, role: .editor, refusal: .roleTooLow),
        RoleCell(command: .restore, role: .publisher, refusal: nil),
        RoleCell(command: .restore, role: .admin, refusal: nil),
        RoleCell(command: .comment, role: .author, refusal: nil),
        RoleCell(command: .comment, role: .editor, refusal: nil),
        RoleCell(command: .comment, role: .publisher, refusal: nil),
        RoleCell(command: .comment, role: .admin, refusal: nil),
    ]

    @Test("roles are ordered author < editor < publisher < admin")
    func ordering() {
        #expect(Role.allCases.sorted() == [.author, .editor, .publisher, .admin])
        #expect(Role.author < .editor && .editor < .publisher && .publisher < .admin)
        #expect(Role.admin >= .publisher)
        #expect(!(Role.editor < .editor))
    }

    @Test("the role table covers every command with every role")
    func tableIsComplete() {
        #expect(Self.cells.count == CommandKind.allCases.count * Role.allCases.count)
        for kind in CommandKind.allCases {
            #expect(Set(Self.cells.filter { $0.command == kind }.map(\.role)) == Set(Role.allCases))
        }
    }

    @Test("command by role", arguments: cells)
    func cell(_ cell: RoleCell) {
        let actor = Self.actor(cell.role)
        let command = F.command(actor, Self.action(cell.command))
        switch when(command, given: F.history(Self.status(for: cell.command))) {
        case .success(let events):
            #expect(cell.refusal == nil)
            #expect(events.count == 1)
            #expect(events.first?.by == actor.name)
            #expect(events.first?.at == F.now)
        case .failure(let refusal):
            #expect(refusal.reason == cell.refusal)
        }
    }

    @Test("an author may not edit, revert or submit someone else's article")
    func notOwnArticle() {
        for status: ArticleStatus in [.draft, .changesRequested, .inReview, .approved, .scheduled, .published,
            .unpublished]
        {
            let edit = F.command(F.dave, .edit(ContentChanges(body: "Чужой текст"), note: nil))
            #expect(outcome(of: edit, given: F.history(status)) == .refused(.notOwnArticle), "\(status)")
            let revert = F.command(F.dave, .revert(toVersion: 1, content: ArticleContent(title: "Старое"), note: nil))
            #expect(outcome(of: revert, given: F.history(status)) == .refused(.notOwnArticle), "\(status)")
        }
        for status: ArticleStatus in [.draft, .changesRequested] {
            #expect(outcome(of: F.command(F.dave, .submit), given: F.history(status)) == .refused(.notOwnArticle))
        }
    }

    @Test("an author may comment on someone else's article")
    func authorCommentsOnOthers() {
        let comment = F.command(F.dave, .comment(text: "Интересно"))
        #expect(
            outcome(of: comment, given: F.history(.inReview))
                == .events([
                    .commented(CommentAdded(text: "Интересно", by: "dave", at: F.now))
                ]))
    }

    @Test("an author may not edit their own article while it is in review; an editor may")
    func authorCannotEditInReview() throws {
        let edit = ArticleCommand.Action.edit(ContentChanges(body: "Правка"), note: nil)
        let refused = try #require(when(F.command(F.alice, edit), given: F.history(.inReview)).failure)
        #expect(refused.reason == .roleTooLow)
        #expect(refused.allowed == [.comment])
        #expect(outcome(of: F.command(F.erin, edit), given: F.history(.inReview)) != .refused(.roleTooLow))
    }

    @Test("an author may edit their own approved, scheduled, published and unpublished articles")
    func authorEditsOwnLaterStages() {
        let edit = F.command(F.alice, .edit(ContentChanges(body: "Правка автора"), note: nil))
        for status: ArticleStatus in [.draft, .changesRequested, .approved, .scheduled, .published, .unpublished] {
            guard case .events = outcome(of: edit, given: F.history(status)) else {
                Issue.record("alice could not edit her \(status.rawValue) article")
                continue
            }
        }
    }

    @Test("refusals come in order: status before role, role before input")
    func refusalOrder() {
        // Wrong status and too low a role: the status is named.
        #expect(outcome(of: F.command(F.alice, .publish(at: nil)), given: F.history(.draft)) == .refused(.wrongState))
        // Too low a role and a blank reason: the role is named.
        let blank = F.command(F.alice, .requestChanges(reason: " "))
        #expect(outcome(of: blank, given: F.history(.inReview)) == .refused(.roleTooLow))
        // Someone else's article and an edit that changes nothing: ownership is named.
        let noop = F.command(F.dave, .edit(ContentChanges(title: F.content.title), note: nil))
        #expect(outcome(of: noop, given: F.history(.draft)) == .refused(.notOwnArticle))
        // A missing article beats everything.
        #expect(outcome(of: F.command(F.alice, .approve(note: nil)), given: []) == .refused(.notFound))
    }
}

extension Result {
    /// The error, when there is one.
    var failure: Failure? {
        if case .failure(let error) = self { error } else { nil }
    }
}
