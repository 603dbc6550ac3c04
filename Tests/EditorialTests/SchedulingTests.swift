import Editorial
import Foundation
import Testing

@Suite("Scheduled publication")
struct SchedulingTests {
    typealias F = Fixture

    static let due = F.minute(60)

    static func scheduled() throws -> [ArticleEvent] {
        try history(F.history(.approved), then: [F.command(F.pat, .publish(at: due))])
    }

    @Test("publishing with a future time schedules the article")
    func schedules() throws {
        let events = try Self.scheduled()
        #expect(
            events.last == .publicationScheduled(PublicationScheduled(scheduledFor: Self.due, by: "pat", at: F.now)))
        let article = try #require(ArticleDecider.fold(events))
        #expect(article.status == .scheduled)
        #expect(article.scheduledFor == Self.due)
        #expect(article.live == nil)
    }

    @Test("publishing with a time that is now or past publishes at once")
    func publishesNowForPastTimes() {
        for time in [F.now, F.minute(9), F.minute(-1000)] {
            let command = F.command(F.pat, .publish(at: time))
            #expect(
                outcome(of: command, given: F.history(.approved))
                    == .events([
                        .published(ArticlePublished(content: F.content, by: "pat", at: F.now))
                    ]))
        }
    }

    @Test("the scheduler may not publish before the scheduled time")
    func notDueYet() throws {
        let refused = try #require(
            when(
                F.command(F.scheduler, .publishDue, at: Self.due.addingTimeInterval(-0.001)),
                given: try Self.scheduled()
            )
            .failure
        )
        #expect(refused.reason == .notDueYet)
        #expect(refused.status == .scheduled)
    }

    @Test("publishing when due records how late it went out", arguments: [0, 0.25, 3600])
    func publishedWhenDue(lateness: Double) throws {
        let at = Self.due.addingTimeInterval(lateness)
        let events = try history(try Self.scheduled(), then: [F.command(F.scheduler, .publishDue, at: at)])
        #expect(
            events.last
                == .published(
                    ArticlePublished(
                        content: F.content, scheduledFor: Self.due, latenessSeconds: lateness, by: "scheduler", at: at)
                ))
        let article = try #require(ArticleDecider.fold(events))
        #expect(article.status == .published)
        #expect(article.scheduledFor == nil)
        #expect(article.live == LiveRevision(content: F.content, publishedAt: at, publishedBy: "scheduler"))
    }

    @Test("unpublishing a scheduled article cancels the schedule")
    func unpublishScheduled() throws {
        let events = try history(try Self.scheduled(), then: [F.command(F.ada, .unpublish(reason: "Отмена"))])
        #expect(
            events.last == .unpublished(ArticleUnpublished(reason: "Отмена", wasScheduled: true, by: "ada", at: F.now)))
        let article = try #require(ArticleDecider.fold(events))
        #expect(article.status == .unpublished)
        #expect(article.scheduledFor == nil)
        #expect(
            outcome(of: F.command(F.scheduler, .publishDue, at: F.minute(100)), given: events) == .refused(.wrongState))
    }

    @Test("a scheduled article cannot be published again or edited")
    func scheduledIsSettled() throws {
        let given = try Self.scheduled()
        let refused = try #require(when(F.command(F.pat, .publish(at: nil)), given: given).failure)
        #expect(refused.reason == .wrongState)
        #expect(refused.message.contains("already scheduled"))
        #expect(
            outcome(of: F.command(F.erin, .edit(ContentChanges(body: "x"), note: nil)), given: given)
                == .refused(.wrongState))
    }

    @Test("a revision of a live article can be scheduled while the old text stays live")
    func scheduledRevision() throws {
        let events = try history(
            F.history(.published),
            then: [
                F.command(F.alice, .edit(ContentChanges(body: "Новое"), note: nil)),
                F.command(F.alice, .submit),
                F.command(F.carol, .approve(note: nil)),
                F.command(F.pat, .publish(at: Self.due)),
            ])
        let scheduled = try #require(ArticleDecider.fold(events))
        #expect(scheduled.status == .scheduled)
        #expect(scheduled.live?.content == F.content)
        let live = try #require(
            ArticleDecider.fold(try history(events, then: [F.command(F.scheduler, .publishDue, at: Self.due)]))
        )
        #expect(live.live?.content.body == "Новое")
        #expect(!live.pendingRevision)
    }
}
