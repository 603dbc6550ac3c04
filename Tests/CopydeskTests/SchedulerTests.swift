import Copydesk
import Editorial
import Foundation
import Testing

@Suite("Scheduled publishing")
struct SchedulerTests {
    /// A command service whose clock is `offset` ahead of now, to make schedules due without waiting.
    static func commands(_ fixture: WorkflowFixture, ahead offset: TimeInterval) -> CommandService {
        CommandService(store: fixture.app.store) { Date.now.addingTimeInterval(offset).roundedToMilliseconds }
    }

    static func scheduled(_ fixture: WorkflowFixture, at: Date) async throws -> UUID {
        let id = try await fixture.draft(ArticleContent(title: "Embargoed", body: "Until tomorrow"))
        try await fixture.run(.submit, on: id, as: fixture.alice)
        try await fixture.run(.approve(note: nil), on: id, as: fixture.bob)
        try await fixture.run(.publish(at: at), on: id, as: fixture.carol)
        return id
    }

    @Test("two schedulers running at once publish each due article exactly once")
    func twoSchedulers() async throws {
        let fixture = try await WorkflowFixture()
        var ids: [UUID] = []
        for _ in 0..<4 { ids.append(try await Self.scheduled(fixture, at: Date.now.addingTimeInterval(0.3))) }
        #expect(try await fixture.app.queries.article(ids[0])?.state == "scheduled")
        try await Task.sleep(for: .milliseconds(400))

        let first = Scheduler(commands: fixture.app.commands)
        let second = Scheduler(commands: fixture.app.commands)
        async let a = first.publishDue()
        async let b = second.publishDue()
        let published = try await a + b
        #expect(Set(published.map(\.article)) == Set(ids))
        #expect(published.count == 4)
        for id in ids {
            let history = try await fixture.app.queries.history(id)
            #expect(history.filter { $0.action == "publish-due" }.count == 1)
            #expect(history.last?.actor == "scheduler" && history.last?.origin == "scheduler")
            #expect(try await fixture.app.queries.article(id)?.state == "published")
        }
        #expect(try await first.publishDue().isEmpty)
    }

    @Test("a schedule missed while nothing ran is published on the next pass, its lateness recorded")
    func missedSchedule() async throws {
        let fixture = try await WorkflowFixture()
        // Two hours ago, carol scheduled the article for one hour ago; no scheduler has run since.
        let past = Self.commands(fixture, ahead: -7200)
        let id = UUID()
        for (action, actor) in [
            (ArticleCommand.Action.draft(id: id, content: ArticleContent(title: "Missed"), originalDate: nil), fixture.alice),
            (.submit, fixture.alice), (.approve(note: nil), fixture.bob),
            (.publish(at: Date.now.addingTimeInterval(-3600)), fixture.carol),
        ] {
            _ = try await past.handle(WorkflowCommand(article: id, actor: actor, action: action, origin: .cli))
        }
        #expect(try await fixture.app.queries.article(id)?.state == "scheduled")

        let published = try await Scheduler(commands: fixture.app.commands).publishDue()
        #expect(published.map(\.article) == [id])
        let last = try #require(try await fixture.app.queries.history(id).last)
        #expect(last.action == "publish-due")
        let lateness = try #require(last.note?.split(separator: " ").dropLast(2).last.flatMap { Double($0) })
        #expect(lateness >= 3600 && lateness < 3700)
    }

    @Test("unpublishing a scheduled article cancels its publication")
    func cancelled() async throws {
        let fixture = try await WorkflowFixture()
        let id = try await Self.scheduled(fixture, at: Date.now.addingTimeInterval(0.2))
        try await fixture.run(.unpublish(reason: "embargo lifted early? no: story pulled"), on: id, as: fixture.carol)
        try await Task.sleep(for: .milliseconds(300))
        #expect(try await Scheduler(commands: fixture.app.commands).publishDue().isEmpty)
        #expect(try await fixture.app.queries.article(id)?.state == "unpublished")
    }
}
