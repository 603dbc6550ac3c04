import Copydesk
import Editorial
import Foundation
import Postgres
import Testing

/// Issue 15's ways out, end to end: through the command service, its projections and replay.
@Suite("Ways out of the workflow's former dead ends")
struct WayOutWorkflowTests {
    static let original = ArticleContent(title: "Консул в Волгограде", lead: "Встреча.", body: "Асхад сказал.")

    @Test("a comment never makes an edit stale; an edit in between still does")
    func commentsDoNotStale() async throws {
        let fixture = try await WorkflowFixture()
        let id = try await fixture.draft(Self.original)
        let opened = try #require(try await fixture.app.queries.article(id)).version
        try await fixture.run(.comment(text: "Проверьте имя"), on: id, as: fixture.bob)
        try await fixture.run(.comment(text: "И дату"), on: id, as: fixture.dave)

        let edited = try await fixture.run(
            .edit(ContentChanges(body: "Асхат сказал."), note: nil), on: id, as: fixture.alice, expectedVersion: opened)
        #expect(edited.article.version == opened + 3)
        #expect(edited.article.content.body == "Асхат сказал.")

        // The edit changed the text: a command still pinned to the version before it is stale.
        let before = try await fixture.eventCount()
        let error = await #expect(throws: WorkflowError.self) {
            try await fixture.run(
                .edit(ContentChanges(title: "Другой"), note: nil), on: id, as: fixture.bob, expectedVersion: opened + 2)
        }
        #expect(error == .conflict(article: id, expected: opened + 2, actual: opened + 3))
        #expect(try await fixture.eventCount() == before)
        // A version the article never had is stale too, not "only comments since".
        await #expect(throws: WorkflowError.conflict(article: id, expected: opened + 9, actual: opened + 3)) {
            try await fixture.run(
                .edit(ContentChanges(title: "Другой"), note: nil), on: id, as: fixture.bob, expectedVersion: opened + 9)
        }
    }

    @Test("revert brings back an earlier version's text as a new edit, and the history says which")
    func revert() async throws {
        let fixture = try await WorkflowFixture()
        let id = try await fixture.draft(Self.original)
        try await fixture.run(
            .edit(ContentChanges(title: "Ошибка", body: "Испорчено."), note: nil), on: id, as: fixture.alice)
        let outcome = try await fixture.run(
            .revert(toVersion: 1, content: nil, note: "как было"), on: id, as: fixture.bob)
        #expect(outcome.article.content == Self.original)
        #expect(outcome.article.version == 3)

        let last = try #require(try await fixture.app.queries.history(id).last)
        #expect(last.action == "revert")
        #expect(last.changed == ["title", "body"])
        #expect(last.note == "reverted to version 1; как было")
        // Nothing old was touched: version 2 still reads as it was written.
        #expect(try await fixture.app.queries.article(id, atVersion: 2)?.title == "Ошибка")

        await #expect(throws: WorkflowError.self) {
            try await fixture.run(.revert(toVersion: 7, content: nil, note: nil), on: id, as: fixture.bob)
        }
        let refusal = await #expect(throws: WorkflowError.self) {
            try await fixture.run(.revert(toVersion: 1, content: nil, note: nil), on: id, as: fixture.bob)
        }
        guard case .refused(let refused) = refusal else {
            Issue.record("expected a refusal, got \(String(describing: refusal))")
            return
        }
        #expect(refused.reason == .nothingToChange)
    }

    @Test("scheduling rows show their time; unschedule keeps the approval and says what it cancelled")
    func scheduleAndUnschedule() async throws {
        let fixture = try await WorkflowFixture()
        let id = try await fixture.draft(Self.original)
        try await fixture.run(.submit, on: id, as: fixture.alice)
        try await fixture.run(.approve(note: nil), on: id, as: fixture.bob)
        let due = Date.now.addingTimeInterval(3600).truncatedToMilliseconds
        try await fixture.run(.publish(at: due), on: id, as: fixture.carol)
        let unscheduled = try await fixture.run(.unschedule(reason: "ждём суд"), on: id, as: fixture.carol)
        #expect(unscheduled.article.status == .approved)
        #expect(unscheduled.article.scheduledFor == nil)

        let rows = try await fixture.app.queries.history(id).suffix(2)
        #expect(rows.map(\.action) == ["schedule", "unschedule"])
        #expect(rows.first?.note == "scheduled for \(EventTimestamp.string(from: due))")
        #expect(rows.last?.note == "was scheduled for \(EventTimestamp.string(from: due))")
        #expect(rows.last?.reason == "ждём суд")
    }

    @Test("publishing at a time already past is refused with both times, and writes nothing")
    func pastScheduleRefused() async throws {
        let fixture = try await WorkflowFixture()
        let id = try await fixture.draft(Self.original)
        try await fixture.run(.submit, on: id, as: fixture.alice)
        try await fixture.run(.approve(note: nil), on: id, as: fixture.bob)
        let before = try await fixture.eventCount()
        let past = try #require(EventTimestamp.date(from: "2020-01-01T00:00:00.000Z"))
        let error = await #expect(throws: WorkflowError.self) {
            try await fixture.run(.publish(at: past), on: id, as: fixture.carol)
        }
        guard case .refused(let refusal) = error else {
            Issue.record("expected a refusal, got \(String(describing: error))")
            return
        }
        #expect(refusal.reason == .notInFuture)
        #expect(refusal.description.contains("2020-01-01T00:00:00.000Z"))
        #expect(refusal.description.contains("the article is approved"))
        #expect(try await fixture.eventCount() == before)
    }

    @Test("withdrawn, archived, restored and published again: each step reads its state from the projection row")
    func legalHoldLifted() async throws {
        let fixture = try await WorkflowFixture()
        let id = try await fixture.published(Self.original)
        try await fixture.run(.unpublish(reason: "судебный запрет"), on: id, as: fixture.carol)
        try await fixture.run(.archive, on: id, as: fixture.bob)
        let restored = try await fixture.run(.restore(reason: "запрет снят"), on: id, as: fixture.carol)
        #expect(restored.article.status == .unpublished)
        let state = try #require(try await fixture.app.queries.articleState(id))
        #expect(state.lastLiveContent == Self.original)
        // The desk's lists read states without the texts, the withdrawn one's included; publishing is still offered.
        let listed = try #require(
            try await fixture.app.queries.articleStatesForLists(inStates: [.unpublished]).first { $0.id == id })
        #expect(listed.lastLiveContent?.title == Self.original.title)
        #expect(listed.lastLiveContent?.body == "")
        #expect(ArticleDecider.allowedCommands(for: fixture.carol, on: listed).contains(.publish))

        let republished = try await fixture.run(.publish(at: nil), on: id, as: fixture.carol)
        #expect(republished.article.status == .published)
        #expect(republished.article.live?.content == Self.original)
        let view = try #require(try await fixture.app.queries.article(id))
        #expect(view.live?.body == Self.original.body)
    }

    @Test("after every new command, a rebuild matches the live projections exactly")
    func replayMatches() async throws {
        let fixture = try await WorkflowFixture()
        let republished = try await fixture.published(Self.original)
        try await fixture.run(.unpublish(reason: "запрет"), on: republished, as: fixture.carol)
        try await fixture.run(.edit(ContentChanges(lead: "Новый лид."), note: nil), on: republished, as: fixture.alice)
        try await fixture.run(.publish(at: nil), on: republished, as: fixture.carol)

        let scheduled = try await fixture.draft(Self.original)
        try await fixture.run(.submit, on: scheduled, as: fixture.alice)
        try await fixture.run(.approve(note: nil), on: scheduled, as: fixture.bob)
        try await fixture.run(.publish(at: Date.now.addingTimeInterval(600)), on: scheduled, as: fixture.carol)
        try await fixture.run(
            .edit(ContentChanges(body: "Опечатка исправлена."), note: nil), on: scheduled, as: fixture.bob)
        try await fixture.run(.approve(note: nil), on: scheduled, as: fixture.dave)
        try await fixture.run(.publish(at: Date.now.addingTimeInterval(600)), on: scheduled, as: fixture.carol)
        try await fixture.run(.unschedule(reason: nil), on: scheduled, as: fixture.carol)
        try await fixture.run(.revert(toVersion: 1, content: nil, note: nil), on: scheduled, as: fixture.bob)

        let archived = try await fixture.draft(Self.original)
        try await fixture.run(.archive, on: archived, as: fixture.bob)
        try await fixture.run(.restore(reason: nil), on: archived, as: fixture.carol)

        let (_, differences) = try await ProjectionRebuild(conninfo: fixture.database.ownerConninfo).verify()
        #expect(differences == [])
    }

    @Test("migration 016's backfill gives the rows replay gives")
    func migrationBackfill() async throws {
        let fixture = try await WorkflowFixture()
        let id = try await fixture.published(Self.original)
        try await fixture.run(.unpublish(reason: "запрет"), on: id, as: fixture.carol)
        let scheduled = try await fixture.draft(Self.original)
        try await fixture.run(.submit, on: scheduled, as: fixture.alice)
        try await fixture.run(.approve(note: nil), on: scheduled, as: fixture.bob)
        try await fixture.run(.publish(at: Date.now.addingTimeInterval(600)), on: scheduled, as: fixture.carol)

        // As a database migrated before 016 had them: no column, no note on the scheduling row.
        let migration = try String(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("sql/016_workflow_ways_out.sql"),
            encoding: .utf8)
        let owner = try await Connection.connect(to: fixture.database.ownerConninfo)
        try await owner.executeScript(
            """
            ALTER TABLE articles DROP COLUMN last_live_content;
            UPDATE audit_log SET note = NULL WHERE event_type = 'PublicationScheduled';
            """)
        try await owner.executeScript(migration)
        await owner.close()

        #expect(try await fixture.app.queries.articleState(id)?.lastLiveContent == Self.original)
        let (_, differences) = try await ProjectionRebuild(conninfo: fixture.database.ownerConninfo).verify()
        #expect(differences == [])
    }
}
