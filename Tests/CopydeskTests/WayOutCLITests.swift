import Copydesk
import Foundation
import Testing
import TestSupport

@Suite("The command line's ways out: unschedule, restore, revert, and a publish time already past")
struct WayOutCLITests {
    @Test("publish --at a past time exits 5 with the time given and now, and writes nothing")
    func pastTime() async throws {
        let fixture = try await WorkflowFixture()
        let cli = CLI(databaseURL: fixture.database.ownerConninfo)
        let id = try cli("draft", "--title", "Консул", user: "alice").stdout.trimmingCharacters(in: .newlines)
        #expect(try cli("submit", id, user: "alice").status == 0)
        #expect(try cli("approve", id, user: "bob").status == 0)
        let events = try await fixture.eventCount()

        let past = try cli("publish", id, "--at", "2020-01-01T00:00:00Z", user: "carol")
        #expect(past.status == 5, "\(past.stderr)")
        #expect(past.stderr.contains("2020-01-01T00:00:00.000Z") && past.stderr.contains("it is now"), "\(past.stderr)")
        #expect(past.stderr.contains("the article is approved"))
        #expect(try await fixture.eventCount() == events)
    }

    @Test("unschedule, revert --to-version and restore, each acting as --as")
    func commands() async throws {
        let fixture = try await WorkflowFixture()
        let cli = CLI(databaseURL: fixture.database.ownerConninfo)
        let id = try cli("draft", "--title", "Консул", "--body", "Асхад", user: "alice").stdout
            .trimmingCharacters(in: .newlines)
        #expect(try cli("edit", id, "--body", "Испорчено", user: "alice").status == 0)
        #expect(try cli("submit", id, user: "alice").status == 0)
        #expect(try cli("approve", id, user: "bob").status == 0)
        let later = ISO8601DateFormatter().string(from: Date.now.addingTimeInterval(3600))
        #expect(try cli("publish", id, "--at", later, user: "carol").status == 0)

        let unscheduled = try cli("unschedule", id, "--reason", "ждём", user: "carol")
        #expect(unscheduled.status == 0, "\(unscheduled.stderr)")
        #expect(unscheduled.stdout.contains("approved"))
        #expect(try cli("unschedule", id, user: "carol").status == 2)

        let reverted = try cli("revert", id, "--to-version", "1", "--note", "как было", user: "bob")
        #expect(reverted.status == 0, "\(reverted.stderr)")
        #expect(reverted.stdout.contains("in_review"))
        #expect(try await fixture.app.queries.article(UUID(uuidString: id)!)?.body == "Асхад")
        #expect(try cli("revert", id, user: "bob").status == 64)

        let other = try cli("draft", "--title", "В архив", user: "alice").stdout.trimmingCharacters(in: .newlines)
        #expect(try cli("archive", other, user: "bob").status == 0)
        #expect(try cli("restore", other, user: "bob").status == 2)
        let restored = try cli("restore", other, "--reason", "нужна", user: "carol")
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(restored.stdout.contains("draft"))
    }
}

