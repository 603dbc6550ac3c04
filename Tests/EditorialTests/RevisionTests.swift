import Editorial
import Foundation
import Testing

@Suite("Revisions of approved and published articles")
struct RevisionTests {
    typealias F = Fixture

    static let revisedBody = "Обновленный текст статьи с уточненными цифрами."

    @Test("editing an approved article voids the approval and sends it back to review")
    func editApproved() throws {
        let given = try history(
            F.history(.approved),
            then: [
                F.command(F.alice, .edit(ContentChanges(body: "Поправка"), note: "опечатка"))
            ])
        let article = try #require(ArticleDecider.fold(given))
        #expect(article.status == .inReview)
        guard case .edited(let edited) = given.last else {
            Issue.record("expected an edit")
            return
        }
        #expect(edited.sentBackToReview)
        #expect(!edited.startedPendingRevision)
        #expect(outcome(of: F.command(F.pat, .publish(at: nil)), given: given) == .refused(.wrongState))
    }

    @Test("editing a published article starts a pending revision; the live text stays")
    func editPublished() throws {
        let published = F.history(.published)
        let live = try #require(ArticleDecider.fold(published)?.live)
        let given = try history(
            published,
            then: [
                F.command(F.erin, .edit(ContentChanges(body: Self.revisedBody), note: nil), at: F.minute(6)),
                F.command(F.erin, .edit(ContentChanges(tags: ["регионы", "экономика"]), note: nil), at: F.minute(7)),
            ])
        let article = try #require(ArticleDecider.fold(given))
        #expect(article.status == .published)
        #expect(article.pendingRevision)
        #expect(article.live == live)
        #expect(article.live?.content == F.content)
        #expect(article.content.body == Self.revisedBody)
        #expect(article.contributors == ["alice", "erin"])

        // Only the first edit after going live starts the pending revision.
        let started = given.suffix(2).map { event -> Bool in
            if case .edited(let edited) = event { edited.startedPendingRevision } else { false }
        }
        #expect(started == [true, false])
    }

    @Test("a pending revision goes live through submit, approve and publish")
    func pendingRevisionGoesLive() throws {
        let live = try #require(ArticleDecider.fold(F.history(.published))?.live)
        var events = try history(
            F.history(.published),
            then: [
                F.command(F.alice, .edit(ContentChanges(body: Self.revisedBody), note: nil), at: F.minute(6)),
                F.command(F.alice, .submit, at: F.minute(7)),
            ])
        var article = try #require(ArticleDecider.fold(events))
        // Under review the old text stays live.
        #expect(article.status == .inReview)
        #expect(article.live == live)
        #expect(article.pendingRevision)

        events = try history(
            events,
            then: [
                F.command(F.carol, .approve(note: nil), at: F.minute(8)),
                F.command(F.pat, .publish(at: nil), at: F.minute(9)),
            ])
        article = try #require(ArticleDecider.fold(events))
        #expect(article.status == .published)
        #expect(!article.pendingRevision)
        #expect(article.live == LiveRevision(content: article.content, publishedAt: F.minute(9), publishedBy: "pat"))
        #expect(article.live?.content.body == Self.revisedBody)
        #expect(article.contributors == ["alice"])
    }

    @Test("a published article without a pending revision has nothing to submit")
    func nothingToSubmit() throws {
        let refused = try #require(when(F.command(F.alice, .submit), given: F.history(.published)).failure)
        #expect(refused.reason == .wrongState)
        #expect(refused.message.contains("no pending revision"))
    }

    @Test("the live text can be withdrawn while its revision is in review, but not archived")
    func liveTextWhileRevising() throws {
        let inReview = try history(
            F.history(.published),
            then: [
                F.command(F.erin, .edit(ContentChanges(body: Self.revisedBody), note: nil)),
                F.command(F.erin, .submit),
            ])
        let changesRequested = try history(inReview, then: [F.command(F.carol, .requestChanges(reason: "Нет"))])
        #expect(outcome(of: F.command(F.erin, .archive), given: changesRequested) == .refused(.wrongState))

        for given in [inReview, changesRequested] {
            let events = try history(given, then: [F.command(F.pat, .unpublish(reason: "Иск"), at: F.minute(20))])
            let article = try #require(ArticleDecider.fold(events))
            #expect(article.status == .unpublished)
            #expect(article.live == nil)
            #expect(!article.pendingRevision)
            #expect(article.content.body == Self.revisedBody)
        }
    }
}
