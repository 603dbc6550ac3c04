import Editorial
import Foundation
import Testing

/// The ways out of the states that used to be dead ends: unpublished, archived, and any past version.
@Suite("Ways out")
struct WayOutTests {
    typealias F = Fixture

    static let legalBody = "Текст, исправленный по требованию юристов."

    @Test("editing an unpublished article starts a new revision that goes live through review")
    func editUnpublished() throws {
        let edited = try history(
            F.history(.unpublished), then: [F.command(F.alice, .edit(ContentChanges(body: Self.legalBody), note: nil))])
        guard case .edited(let edit) = edited.last else {
            Issue.record("expected an edit")
            return
        }
        #expect(edit.startedPendingRevision)
        let pending = try #require(ArticleDecider.fold(edited))
        #expect(pending.status == .unpublished)
        #expect(pending.pendingRevision)
        #expect(pending.live == nil)

        let events = try history(
            edited,
            then: [
                F.command(F.alice, .submit),
                F.command(F.carol, .approve(note: nil)),
                F.command(F.pat, .publish(at: nil)),
            ])
        let live = try #require(ArticleDecider.fold(events))
        #expect(live.status == .published)
        #expect(live.live?.content.body == Self.legalBody)
        #expect(!live.pendingRevision)
    }

    @Test("a publisher puts the withdrawn text live again (a lifted legal hold)")
    func republish() throws {
        let events = try history(F.history(.unpublished), then: [F.command(F.pat, .publish(at: nil))])
        #expect(events.last == .published(ArticlePublished(content: F.content, by: "pat", at: F.now)))
        let article = try #require(ArticleDecider.fold(events))
        #expect(article.status == .published)
        #expect(article.live?.content == F.content)
        #expect(!article.pendingRevision)
    }

    @Test("publishing an unpublished article puts back what was live, not a revision still to be reviewed")
    func republishKeepsRevisionPending() throws {
        let events = try history(
            F.history(.unpublished),
            then: [
                F.command(F.erin, .edit(ContentChanges(body: Self.legalBody), note: nil)),
                F.command(F.pat, .publish(at: nil)),
            ])
        #expect(events.last == .published(ArticlePublished(content: F.content, by: "pat", at: F.now)))
        let article = try #require(ArticleDecider.fold(events))
        #expect(article.status == .published)
        #expect(article.live?.content == F.content)
        #expect(article.content.body == Self.legalBody)
        #expect(article.pendingRevision)
        // The revision keeps its writers: erin may not approve what she edited.
        #expect(article.contributors.contains("erin"))
    }

    @Test("a withdrawn text is put back now, not at a later time")
    func republishNotScheduled() throws {
        let refused = try #require(
            when(F.command(F.pat, .publish(at: F.minute(60))), given: F.history(.unpublished)).failure)
        #expect(refused.reason == .invalidContent)
        #expect(refused.message.contains("without a time"))
    }

    @Test("an article that was never live cannot be published from unpublished")
    func republishNeedsLiveText() throws {
        // Before unschedule existed, unpublishing cancelled a schedule of an article that was never live.
        let given = F.history(.scheduled) + [
            .unpublished(ArticleUnpublished(reason: "Отмена", wasScheduled: true, by: "pat", at: F.minute(6)))
        ]
        let article = try #require(ArticleDecider.fold(given))
        #expect(article.status == .unpublished)
        let refused = try #require(when(F.command(F.pat, .publish(at: nil)), given: given).failure)
        #expect(refused.reason == .wrongState)
        #expect(refused.message.contains("never was"))
        #expect(refused.allowed.contains(.edit))
    }

    @Test("restore brings an archived article back: unpublished if it was ever live, else draft")
    func restore() throws {
        let neverLive = try history(F.history(.archived), then: [F.command(F.ada, .restore(reason: nil))])
        #expect(ArticleDecider.fold(neverLive)?.status == .draft)

        let onceLive = try history(
            F.history(.unpublished), then: [F.command(F.erin, .archive), F.command(F.pat, .restore(reason: "Снова"))])
        #expect(
            onceLive.last == .restored(ArticleRestored(status: .unpublished, reason: "Снова", by: "pat", at: F.now)))
        let article = try #require(ArticleDecider.fold(onceLive))
        #expect(article.status == .unpublished)
        // ...and from there its old text can go live again.
        #expect(ArticleDecider.allowedCommands(for: F.pat, on: article).contains(.publish))
    }

    @Test("an editor may not restore; the refusal names the state and the role needed")
    func restoreNeedsPublisher() throws {
        let refused = try #require(when(F.command(F.erin, .restore(reason: nil)), given: F.history(.archived)).failure)
        #expect(refused.reason == .roleTooLow)
        #expect(refused.message.contains("archived"))
        #expect(refused.message.contains("publisher"))
    }

    @Test("revert makes an earlier version's text a new edit, following the edit rules")
    func revert() throws {
        let given = try history(
            F.history(.approved),
            then: [
                F.command(F.alice, .edit(ContentChanges(title: "Ошибочный заголовок", body: "Чужой текст"), note: nil))
            ])
        // Version 3 is the approved text; the edit made version 4 and sent it back to review.
        let revert = F.command(F.erin, .revert(toVersion: 3, content: F.content, note: "вернуть как было"))
        let events = try history(given, then: [revert])
        #expect(
            events.last
                == .edited(
                    ArticleEdited(
                        changes: ContentChanges(title: F.content.title, body: F.content.body), note: "вернуть как было",
                        revertedTo: 3, by: "erin", at: F.now)))
        #expect(Array(events.dropLast()) == given)  // nothing old touched
        let article = try #require(ArticleDecider.fold(events))
        #expect(article.content == F.content)
        #expect(article.status == .inReview)
        #expect(article.contributors.contains("erin"))
    }

    @Test("a revert to the current text, or to a version that does not exist, is refused")
    func revertRefusals() throws {
        let given = F.history(.published)
        let same = try #require(
            when(F.command(F.erin, .revert(toVersion: 1, content: F.content, note: nil)), given: given).failure)
        #expect(same.reason == .nothingToChange)
        #expect(same.message.contains("version 1"))
        for version: Int64 in [0, 5, -1] {
            let missing = try #require(
                when(F.command(F.erin, .revert(toVersion: version, content: F.content, note: nil)), given: given)
                    .failure)
            #expect(missing.reason == .invalidContent)
            #expect(missing.message.contains("1 to 4"))
        }
        let notLookedUp = try #require(
            when(F.command(F.erin, .revert(toVersion: 2, content: nil, note: nil)), given: given).failure)
        #expect(notLookedUp.reason == .invalidContent)
    }

    @Test("an archived article takes nothing but restore, and says so")
    func archivedSaysRestore() throws {
        let given = F.history(.archived)
        for action: ArticleCommand.Action in [
            .edit(ContentChanges(body: "x"), note: nil), .comment(text: "x"), .publish(at: nil),
        ] {
            let refused = try #require(when(F.command(F.ada, action), given: given).failure)
            #expect(refused.reason == .wrongState)
            #expect(refused.allowed == [.restore])
        }
    }
}
