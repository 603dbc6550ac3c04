import Editorial
import Foundation
import Testing

/// One cell of the workflow table: a command on an article in some status (nil: no article), and what must happen.
struct TransitionCell: Sendable, CustomTestStringConvertible {
    var command: CommandKind
    var status: ArticleStatus?
    var expected: Outcome

    var testDescription: String {
        "\(command.rawValue) on \(status?.rawValue ?? "no article")"
    }
}

/// Every command × every status, written out by hand from DESIGN.md's table, each with an actor whose role suffices.
enum TransitionTable {
    typealias F = Fixture

    static let newTitle = "Волгоград и Казахстан: новые связи"
    static let editChanges = ContentChanges(title: newTitle)
    /// The text a revert brings back; the decider takes the caller's word for what version 1 held.
    static let revertedContent = editChanges.applied(to: F.content)

    /// The command each row runs, by an actor allowed to run it.
    static func command(_ kind: CommandKind) -> ArticleCommand {
        switch kind {
        case .draft: F.command(F.alice, .draft(id: F.id, content: F.content, originalDate: "2014-05-11"))
        case .edit: F.command(F.erin, .edit(editChanges, note: "короче"))
        case .revert: F.command(F.erin, .revert(toVersion: 1, content: revertedContent, note: "короче"))
        case .submit: F.command(F.alice, .submit)
        case .requestChanges: F.command(F.erin, .requestChanges(reason: "Нужны цитаты"))
        case .approve: F.command(F.carol, .approve(note: nil))
        case .publish: F.command(F.pat, .publish(at: nil))
        case .unschedule: F.command(F.pat, .unschedule(reason: "Ждём комментарий"))
        case .publishDue: F.command(F.scheduler, .publishDue)
        case .unpublish: F.command(F.pat, .unpublish(reason: "Жалоба"))
        case .archive: F.command(F.erin, .archive)
        case .restore: F.command(F.pat, .restore(reason: "Вернуть в работу"))
        case .comment: F.command(F.alice, .comment(text: "Проверьте цифры"))
        }
    }

    static func edited(
        sentBack: Bool = false, startedPending: Bool = false, cancelled: Date? = nil, revertedTo: Int64? = nil
    ) -> Outcome {
        .events([
            .edited(
                ArticleEdited(
                    changes: editChanges, note: "короче", sentBackToReview: sentBack,
                    startedPendingRevision: startedPending, cancelledSchedule: cancelled, revertedTo: revertedTo,
                    by: "erin", at: F.now
                )
            )
        ])
    }
    static func reverted(sentBack: Bool = false, startedPending: Bool = false, cancelled: Date? = nil) -> Outcome {
        edited(sentBack: sentBack, startedPending: startedPending, cancelled: cancelled, revertedTo: 1)
    }

    static let drafted = Outcome.events([
        .drafted(ArticleDrafted(id: F.id, content: F.content, originalDate: "2014-05-11", by: "alice", at: F.now))
    ])
    static let submitted = Outcome.events([.submitted(ArticleSubmitted(by: "alice", at: F.now))])
    static let changesRequested = Outcome.events([
        .changesRequested(ChangesRequested(reason: "Нужны цитаты", by: "erin", at: F.now))
    ])
    static let approved = Outcome.events([.approved(ArticleApproved(note: nil, by: "carol", at: F.now))])
    static let published = Outcome.events([.published(ArticlePublished(content: F.content, by: "pat", at: F.now))])
    static let publishedWhenDue = Outcome.events([
        .published(
            ArticlePublished(
                content: F.content, scheduledFor: F.minute(5), latenessSeconds: 300, by: "scheduler", at: F.now
            )
        )
    ])
    static func unpublished(wasScheduled: Bool) -> Outcome {
        .events([.unpublished(ArticleUnpublished(reason: "Жалоба", wasScheduled: wasScheduled, by: "pat", at: F.now))])
    }
    static let unscheduled = Outcome.events([
        .publicationUnscheduled(
            PublicationUnscheduled(scheduledFor: F.minute(5), reason: "Ждём комментарий", by: "pat", at: F.now))
    ])
    static let archived = Outcome.events([.archived(ArticleArchived(by: "erin", at: F.now))])
    /// The archived fixture was never live, so it comes back as a draft.
    static let restored = Outcome.events([
        .restored(ArticleRestored(status: .draft, reason: "Вернуть в работу", by: "pat", at: F.now))
    ])
    static let commented = Outcome.events([.commented(CommentAdded(text: "Проверьте цифры", by: "alice", at: F.now))])

    static let notFound = Outcome.refused(.notFound)
    static let exists = Outcome.refused(.alreadyExists)
    static let wrong = Outcome.refused(.wrongState)

    static let cells: [TransitionCell] = [
        // draft: only when there is no article yet.
        TransitionCell(command: .draft, status: nil, expected: drafted),
        TransitionCell(command: .draft, status: .draft, expected: exists),
        TransitionCell(command: .draft, status: .inReview, expected: exists),
        TransitionCell(command: .draft, status: .changesRequested, expected: exists),
        TransitionCell(command: .draft, status: .approved, expected: exists),
        TransitionCell(command: .draft, status: .scheduled, expected: exists),
        TransitionCell(command: .draft, status: .published, expected: exists),
        TransitionCell(command: .draft, status: .unpublished, expected: exists),
        TransitionCell(command: .draft, status: .archived, expected: exists),
        // edit: anything but archived; approved and scheduled go back to review (a schedule is cancelled),
        // published and unpublished start a pending revision.
        TransitionCell(command: .edit, status: nil, expected: notFound),
        TransitionCell(command: .edit, status: .draft, expected: edited()),
        TransitionCell(command: .edit, status: .inReview, expected: edited()),
        TransitionCell(command: .edit, status: .changesRequested, expected: edited()),
        TransitionCell(command: .edit, status: .approved, expected: edited(sentBack: true)),
        TransitionCell(command: .edit, status: .scheduled, expected: edited(sentBack: true, cancelled: F.minute(5))),
        TransitionCell(command: .edit, status: .published, expected: edited(startedPending: true)),
        TransitionCell(command: .edit, status: .unpublished, expected: edited(startedPending: true)),
        TransitionCell(command: .edit, status: .archived, expected: wrong),
        // revert: as edit, recording the version it brought back.
        TransitionCell(command: .revert, status: nil, expected: notFound),
        TransitionCell(command: .revert, status: .draft, expected: reverted()),
        TransitionCell(command: .revert, status: .inReview, expected: reverted()),
        TransitionCell(command: .revert, status: .changesRequested, expected: reverted()),
        TransitionCell(command: .revert, status: .approved, expected: reverted(sentBack: true)),
        TransitionCell(
            command: .revert, status: .scheduled, expected: reverted(sentBack: true, cancelled: F.minute(5))),
        TransitionCell(command: .revert, status: .published, expected: reverted(startedPending: true)),
        TransitionCell(command: .revert, status: .unpublished, expected: reverted(startedPending: true)),
        TransitionCell(command: .revert, status: .archived, expected: wrong),
        // submit: draft, changes_requested (published only with a pending revision: see RevisionTests).
        TransitionCell(command: .submit, status: nil, expected: notFound),
        TransitionCell(command: .submit, status: .draft, expected: submitted),
        TransitionCell(command: .submit, status: .inReview, expected: wrong),
        TransitionCell(command: .submit, status: .changesRequested, expected: submitted),
        TransitionCell(command: .submit, status: .approved, expected: wrong),
        TransitionCell(command: .submit, status: .scheduled, expected: wrong),
        TransitionCell(command: .submit, status: .published, expected: wrong),
        TransitionCell(command: .submit, status: .unpublished, expected: wrong),
        TransitionCell(command: .submit, status: .archived, expected: wrong),
        // request-changes: in_review only.
        TransitionCell(command: .requestChanges, status: nil, expected: notFound),
        TransitionCell(command: .requestChanges, status: .draft, expected: wrong),
        TransitionCell(command: .requestChanges, status: .inReview, expected: changesRequested),
        TransitionCell(command: .requestChanges, status: .changesRequested, expected: wrong),
        TransitionCell(command: .requestChanges, status: .approved, expected: wrong),
        TransitionCell(command: .requestChanges, status: .scheduled, expected: wrong),
        TransitionCell(command: .requestChanges, status: .published, expected: wrong),
        TransitionCell(command: .requestChanges, status: .unpublished, expected: wrong),
        TransitionCell(command: .requestChanges, status: .archived, expected: wrong),
        // approve: in_review only.
        TransitionCell(command: .approve, status: nil, expected: notFound),
        TransitionCell(command: .approve, status: .draft, expected: wrong),
        TransitionCell(command: .approve, status: .inReview, expected: approved),
        TransitionCell(command: .approve, status: .changesRequested, expected: wrong),
        TransitionCell(command: .approve, status: .approved, expected: wrong),
        TransitionCell(command: .approve, status: .scheduled, expected: wrong),
        TransitionCell(command: .approve, status: .published, expected: wrong),
        TransitionCell(command: .approve, status: .unpublished, expected: wrong),
        TransitionCell(command: .approve, status: .archived, expected: wrong),
        // publish: approved; unpublished (puts back the text that was live).
        TransitionCell(command: .publish, status: nil, expected: notFound),
        TransitionCell(command: .publish, status: .draft, expected: wrong),
        TransitionCell(command: .publish, status: .inReview, expected: wrong),
        TransitionCell(command: .publish, status: .changesRequested, expected: wrong),
        TransitionCell(command: .publish, status: .approved, expected: published),
        TransitionCell(command: .publish, status: .scheduled, expected: wrong),
        TransitionCell(command: .publish, status: .published, expected: wrong),
        TransitionCell(command: .publish, status: .unpublished, expected: published),
        TransitionCell(command: .publish, status: .archived, expected: wrong),
        // unschedule: scheduled only.
        TransitionCell(command: .unschedule, status: nil, expected: notFound),
        TransitionCell(command: .unschedule, status: .draft, expected: wrong),
        TransitionCell(command: .unschedule, status: .inReview, expected: wrong),
        TransitionCell(command: .unschedule, status: .changesRequested, expected: wrong),
        TransitionCell(command: .unschedule, status: .approved, expected: wrong),
        TransitionCell(command: .unschedule, status: .scheduled, expected: unscheduled),
        TransitionCell(command: .unschedule, status: .published, expected: wrong),
        TransitionCell(command: .unschedule, status: .unpublished, expected: wrong),
        TransitionCell(command: .unschedule, status: .archived, expected: wrong),
        // publish-due: scheduled only.
        TransitionCell(command: .publishDue, status: nil, expected: notFound),
        TransitionCell(command: .publishDue, status: .draft, expected: wrong),
        TransitionCell(command: .publishDue, status: .inReview, expected: wrong),
        TransitionCell(command: .publishDue, status: .changesRequested, expected: wrong),
        TransitionCell(command: .publishDue, status: .approved, expected: wrong),
        TransitionCell(command: .publishDue, status: .scheduled, expected: publishedWhenDue),
        TransitionCell(command: .publishDue, status: .published, expected: wrong),
        TransitionCell(command: .publishDue, status: .unpublished, expected: wrong),
        TransitionCell(command: .publishDue, status: .archived, expected: wrong),
        // unpublish: published, or any status while a revision is live (none of these fixtures but published).
        TransitionCell(command: .unpublish, status: nil, expected: notFound),
        TransitionCell(command: .unpublish, status: .draft, expected: wrong),
        TransitionCell(command: .unpublish, status: .inReview, expected: wrong),
        TransitionCell(command: .unpublish, status: .changesRequested, expected: wrong),
        TransitionCell(command: .unpublish, status: .approved, expected: wrong),
        TransitionCell(command: .unpublish, status: .scheduled, expected: wrong),
        TransitionCell(command: .unpublish, status: .published, expected: unpublished(wasScheduled: false)),
        TransitionCell(command: .unpublish, status: .unpublished, expected: wrong),
        TransitionCell(command: .unpublish, status: .archived, expected: wrong),
        // archive: draft, changes_requested, unpublished.
        TransitionCell(command: .archive, status: nil, expected: notFound),
        TransitionCell(command: .archive, status: .draft, expected: archived),
        TransitionCell(command: .archive, status: .inReview, expected: wrong),
        TransitionCell(command: .archive, status: .changesRequested, expected: archived),
        TransitionCell(command: .archive, status: .approved, expected: wrong),
        TransitionCell(command: .archive, status: .scheduled, expected: wrong),
        TransitionCell(command: .archive, status: .published, expected: wrong),
        TransitionCell(command: .archive, status: .unpublished, expected: archived),
        TransitionCell(command: .archive, status: .archived, expected: wrong),
        // restore: archived only.
        TransitionCell(command: .restore, status: nil, expected: notFound),
        TransitionCell(command: .restore, status: .draft, expected: wrong),
        TransitionCell(command: .restore, status: .inReview, expected: wrong),
        TransitionCell(command: .restore, status: .changesRequested, expected: wrong),
        TransitionCell(command: .restore, status: .approved, expected: wrong),
        TransitionCell(command: .restore, status: .scheduled, expected: wrong),
        TransitionCell(command: .restore, status: .published, expected: wrong),
        TransitionCell(command: .restore, status: .unpublished, expected: wrong),
        TransitionCell(command: .restore, status: .archived, expected: restored),
        // comment: anything but archived.
        TransitionCell(command: .comment, status: nil, expected: notFound),
        TransitionCell(command: .comment, status: .draft, expected: commented),
        TransitionCell(command: .comment, status: .inReview, expected: commented),
        TransitionCell(command: .comment, status: .changesRequested, expected: commented),
        TransitionCell(command: .comment, status: .approved, expected: commented),
        TransitionCell(command: .comment, status: .scheduled, expected: commented),
        TransitionCell(command: .comment, status: .published, expected: commented),
        TransitionCell(command: .comment, status: .unpublished, expected: commented),
        TransitionCell(command: .comment, status: .archived, expected: wrong),
    ]
}

@Suite("Transition table")
struct TransitionTableTests {
    @Test("the hand-written table covers every command on every status exactly once")
    func tableIsComplete() {
        let statuses: [ArticleStatus?] = [nil] + ArticleStatus.allCases.map { $0 }
        let expected = CommandKind.allCases.flatMap { kind in statuses.map { "\(kind.rawValue)/\($0?.rawValue ?? "-")" }
        }
        let covered = TransitionTable.cells.map { "\($0.command.rawValue)/\($0.status?.rawValue ?? "-")" }
        #expect(covered.sorted() == expected.sorted())
        #expect(Set(covered).count == covered.count)
    }

    @Test("the given histories reach the status they are named for")
    func historiesReachTheirStatus() throws {
        for status in ArticleStatus.allCases {
            let article = try #require(ArticleDecider.fold(Fixture.history(status)))
            #expect(article.status == status)
        }
        #expect(ArticleDecider.fold(Fixture.history(nil)) == nil)
    }

    @Test("command on status", arguments: TransitionTable.cells)
    func cell(_ cell: TransitionCell) throws {
        let given = Fixture.history(cell.status)
        let command = TransitionTable.command(cell.command)
        #expect(outcome(of: command, given: given) == cell.expected)

        guard case .events(let events) = cell.expected else {
            return
        }
        // An accepted command folds on top of its history, one version per event.
        let after = try #require(ArticleDecider.fold(given + events))
        #expect(after.version == Int64(given.count + events.count))
    }

    @Test(
        "a refused cell is refused for the current status and lists what is allowed", arguments: TransitionTable.cells)
    func refusalNamesStatus(_ cell: TransitionCell) {
        guard case .refused = cell.expected else {
            return
        }
        let given = Fixture.history(cell.status)
        let command = TransitionTable.command(cell.command)
        guard case .failure(let refusal) = when(command, given: given) else {
            Issue.record("expected a refusal")
            return
        }
        #expect(refusal.command == cell.command)
        #expect(refusal.status == cell.status)
        #expect(refusal.allowed == ArticleDecider.allowedCommands(for: command.actor, on: ArticleDecider.fold(given)))
        #expect(!refusal.allowed.contains(cell.command))
    }
}
