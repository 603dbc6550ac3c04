import Copydesk
import Editorial
import Foundation
import Testing

@Suite("Scheduled publishing")
struct SchedulerTests {
    /// A command service whose clock is `offset` ahead of now, to make schedules due without waiting.
    static func commands(_ fixture: WorkflowFixture, ahead offset: TimeInterval) -> CommandService {
        CommandService(store: fixture.app.store) { Date.now.addingTimeInterval(offset) }
    }

    /// An article scheduled for `at` by commands issued `ago` seconds before now (so that `at` may
    /// already have passed, as if no scheduler had run since).
    static func scheduled(_ fixture: WorkflowFixture, at: Date, commandsIssuedAgo ago: TimeInterval = 0) async throws -> UUID {
        let commands = Self.commands(fixture, ahead: -ago)
        let id = UUID()
        for (action, actor) in [
            (ArticleCommand.Action.draft(id: id, content: ArticleContent(title: "Embargoed"), originalDate: nil), fixture.alice),
            (.submit, fixture.alice), (.approve(note: nil), fixture.bob), (.publish(at: at), fixture.carol),
        ] {
            _ = try await commands.handle(WorkflowCommand(article: id, actor: actor, action: action, origin: .cli))
        }
        return id
    }

    @Test("two schedulers running at once publish each due article exactly once")
    func twoSchedulers() async throws {
        let fixture = try await WorkflowFixture()
        var ids: [UUID] = []
        for _ in 0..<4 {
            ids.append(try await Self.scheduled(fixture, at: Date.now.addingTimeInterval(-60), commandsIssuedAgo: 3600))
        }
        #expect(try await fixture.app.queries.article(ids[0])?.state == "scheduled")

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
        let id = try await Self.scheduled(fixture, at: Date.now.addingTimeInterval(-3600), commandsIssuedAgo: 7200)
        #expect(try await fixture.app.queries.article(id)?.state == "scheduled")

        let published = try await Scheduler(commands: fixture.app.commands).publishDue()
        #expect(published.map(\.article) == [id])
        let last = try #require(try await fixture.app.queries.history(id).last)
        #expect(last.action == "publish-due")
        let lateness = try #require(last.note?.split(separator: " ").dropLast(2).last.flatMap { Double($0) })
        #expect(lateness >= 3600 && lateness < 3700)
    }

    @Test("unscheduling a scheduled article cancels its publication and keeps it approved")
    func cancelled() async throws {
        let fixture = try await WorkflowFixture()
        let id = try await Self.scheduled(fixture, at: Date.now.addingTimeInterval(-60), commandsIssuedAgo: 3600)
        try await fixture.run(.unschedule(reason: "story pulled"), on: id, as: fixture.carol)
        #expect(try await Scheduler(commands: fixture.app.commands).publishDue().isEmpty)
        #expect(try await fixture.app.queries.article(id)?.state == "approved")
    }
}
