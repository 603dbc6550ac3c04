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

    @Test("publishing with a time within two seconds of now publishes at once")
    func publishesNowWithinTolerance() {
        for time in [F.now, F.now.addingTimeInterval(-1.999)] {
            let command = F.command(F.pat, .publish(at: time))
            #expect(
                outcome(of: command, given: F.history(.approved))
                    == .events([
                        .published(ArticlePublished(content: F.content, by: "pat", at: F.now))
                    ]))
        }
    }

    @Test("publishing at a time already past is refused, naming the time given and now")
    func pastTimeRefused() throws {
        for time in [F.now.addingTimeInterval(-2), F.minute(9), Date(timeIntervalSince1970: 1_577_836_800)] {
            let refused = try #require(
                when(F.command(F.pat, .publish(at: time)), given: F.history(.approved)).failure)
            #expect(refused.reason == .notInFuture)
            #expect(refused.status == .approved)
            #expect(refused.message.contains(EventTimestamp.string(from: time)))
            #expect(refused.message.contains(EventTimestamp.string(from: F.now)))
            #expect(refused.allowed.contains(.publish))
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

    @Test("unscheduling cancels only the schedule: the article is approved again")
    func unschedule() throws {
        let events = try history(try Self.scheduled(), then: [F.command(F.ada, .unschedule(reason: "Ждём"))])
        #expect(
            events.last
                == .publicationUnscheduled(
                    PublicationUnscheduled(scheduledFor: Self.due, reason: "Ждём", by: "ada", at: F.now)))
        let article = try #require(ArticleDecider.fold(events))
        #expect(article.status == .approved)
        #expect(article.scheduledFor == nil)
        #expect(
            outcome(of: F.command(F.scheduler, .publishDue, at: F.minute(100)), given: events) == .refused(.wrongState))
        // Still approved: it can be published (or scheduled) again without another review.
        #expect(outcome(of: F.command(F.pat, .publish(at: nil)), given: events) != .refused(.wrongState))
    }

    @Test("unscheduling a live article's scheduled revision keeps the live text live")
    func unscheduleKeepsLive() throws {
        let events = try history(
            F.history(.published),
            then: [
                F.command(F.alice, .edit(ContentChanges(body: "Новое"), note: nil)),
                F.command(F.alice, .submit),
                F.command(F.carol, .approve(note: nil)),
                F.command(F.pat, .publish(at: Self.due)),
                F.command(F.pat, .unschedule(reason: nil)),
            ])
        let article = try #require(ArticleDecider.fold(events))
        #expect(article.status == .approved)
        #expect(article.live?.content == F.content)
        #expect(article.content.body == "Новое")
    }

    @Test("a scheduled article with nothing live is unscheduled, not unpublished")
    func unpublishScheduledRefused() throws {
        let refused = try #require(
            when(F.command(F.ada, .unpublish(reason: "Отмена")), given: try Self.scheduled()).failure)
        #expect(refused.reason == .wrongState)
        #expect(refused.message.contains("unschedule"))
        #expect(refused.allowed.contains(.unschedule))
    }

    @Test("unpublishing a live article whose revision is scheduled withdraws it and cancels the schedule")
    func unpublishLiveScheduled() throws {
        let events = try history(
            F.history(.published),
            then: [
                F.command(F.alice, .edit(ContentChanges(body: "Новое"), note: nil)),
                F.command(F.alice, .submit),
                F.command(F.carol, .approve(note: nil)),
                F.command(F.pat, .publish(at: Self.due)),
                F.command(F.ada, .unpublish(reason: "Суд")),
            ])
        #expect(
            events.last == .unpublished(ArticleUnpublished(reason: "Суд", wasScheduled: true, by: "ada", at: F.now)))
        let article = try #require(ArticleDecider.fold(events))
        #expect(article.status == .unpublished)
        #expect(article.live == nil)
        #expect(article.scheduledFor == nil)
    }

    @Test("editing a scheduled article cancels the schedule and sends it back to review")
    func editScheduled() throws {
        let events = try history(
            try Self.scheduled(), then: [F.command(F.erin, .edit(ContentChanges(body: "Опечатка"), note: nil))])
        guard case .edited(let edited) = events.last else {
            Issue.record("expected an edit")
            return
        }
        #expect(edited.sentBackToReview)
        #expect(edited.cancelledSchedule == Self.due)
        let article = try #require(ArticleDecider.fold(events))
        #expect(article.status == .inReview)
        #expect(article.scheduledFor == nil)
        #expect(article.contributors.contains("erin"))
        #expect(
            outcome(of: F.command(F.scheduler, .publishDue, at: F.minute(100)), given: events) == .refused(.wrongState))
    }

    @Test("a scheduled article cannot be published again")
    func scheduledIsSettled() throws {
        let refused = try #require(when(F.command(F.pat, .publish(at: nil)), given: try Self.scheduled()).failure)
        #expect(refused.reason == .wrongState)
        #expect(refused.message.contains("already scheduled"))
        #expect(refused.allowed.contains(.unschedule))
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
