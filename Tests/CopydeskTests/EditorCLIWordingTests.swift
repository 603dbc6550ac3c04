import Copydesk
import Editorial
import Foundation
import Testing
import TestSupport

@Suite("The command line says what is live, in local time, with the real reason first")
struct EditorCLIWordingTests {
    @Test("list --live finds a live article whose next revision is in review; the table says live in words")
    func liveIsVisible() async throws {
        let fixture = try await WorkflowFixture()
        let cli = CLI(databaseURL: fixture.database.ownerConninfo)
        let id = try await fixture.published(ArticleContent(title: "Порт открыт", body: "Суда вошли в порт."))
        let other = try await fixture.draft(ArticleContent(title: "Черновик"))
        try await fixture.run(.edit(ContentChanges(title: "Порт открыт после ремонта"), note: nil), on: id, as: fixture.alice)
        let editing = try cli("list", "--live")
        #expect(editing.stdout.contains("published, pending revision"), "\(editing.stdout)")
        try await fixture.run(.submit, on: id, as: fixture.alice)

        let published = try cli("list", "--state", "published")
        #expect(published.stdout == "No articles match.\n")
        let live = try cli("list", "--live")
        #expect(live.status == 0)
        let rows = live.stdout.split(separator: "\n").dropFirst()
        #expect(rows.count == 1 && rows.first?.contains(id.lowercased) == true, "\(live.stdout)")
        #expect(rows.first?.contains("in_review, live") == true && !live.stdout.contains("+"), "\(live.stdout)")
        #expect(!live.stdout.contains(other.lowercased))
        let everything = try cli("list")
        #expect(everything.stdout.contains(other.lowercased) && everything.stdout.contains("in_review, live"))

        let show = try cli("show", id.lowercased)
        #expect(show.stdout.contains("live title: Порт открыт\n"), "\(show.stdout)")
        #expect(show.stdout.contains("\n\nПорт открыт после ремонта\n\n"))
        #expect(try cli("show", other.lowercased).stdout.contains("live title") == false)
    }

    @Test("human formats show local time (TZ) with its offset, --utc shows UTC, JSON is always UTC")
    func localTimes() async throws {
        let fixture = try await WorkflowFixture()
        let cli = CLI(databaseURL: fixture.database.ownerConninfo)
        let id = try await fixture.draft(ArticleContent(title: "Время")).lowercased
        let moscow = ["TZ": "Europe/Moscow"]
        let show = try runCLI(cli, ["show", id], environment: moscow)
        #expect(show.stdout.firstMatch(of: /created:  \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+03:00\n/) != nil, "\(show.stdout)")
        let utc = try runCLI(cli, ["show", id, "--utc"], environment: moscow)
        #expect(utc.stdout.firstMatch(of: /created:  \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n/) != nil, "\(utc.stdout)")
        let json = try runCLI(cli, ["show", id, "--json"], environment: moscow)
        #expect(json.stdout.firstMatch(of: /"createdAt" : "[^"]+Z"/) != nil, "\(json.stdout)")
        for command in [["history", id], ["list"], ["audit", "--article", id]] {
            let local = try runCLI(cli, command, environment: moscow)
            #expect(local.status == 0 && local.stdout.contains("+03:00"), "\(command): \(local.stdout)")
            let inUTC = try runCLI(cli, command + ["--utc"], environment: moscow)
            #expect(!inUTC.stdout.contains("+03:00"), "\(command) --utc: \(inUTC.stdout)")
        }
        let csv = try runCLI(cli, ["audit", "--article", id, "--format", "csv"], environment: moscow)
        #expect(!csv.stdout.contains("+03:00"))
    }

    @Test("no actor is a usage error (64); an unchanged edit says so first; counts are in the right number")
    func wording() async throws {
        let fixture = try await WorkflowFixture()
        let cli = CLI(databaseURL: fixture.database.ownerConninfo)
        let id = try cli("draft", "--title", "Порт", user: "alice").stdout.trimmingCharacters(in: .newlines)
        let nobody = try cli("submit", id)
        #expect(nobody.status == 64 && nobody.stderr.contains("--as NAME or COPYDESK_USER"), "\(nobody.stderr)")

        let unchanged = try cli("edit", id, "--title", "Порт", user: "alice")
        #expect(unchanged.status == 2)
        #expect(unchanged.stderr == "copydesk: cannot edit: the edit leaves the content exactly as it is, "
            + "so nothing was written; the article is draft\n")
        let wrongState = try cli("publish", id, user: "carol")
        #expect(wrongState.stderr.hasPrefix("copydesk: cannot publish: the article is draft"), "\(wrongState.stderr)")
        #expect(try cli("submit", id, user: "alice").status == 0)
        #expect(try cli("edit", id, "--title", "Порт открыт", user: "bob").status == 0)
        let fourEyes = try cli("approve", id, user: "bob")
        #expect(fourEyes.status == 2 && fourEyes.stderr.hasPrefix("copydesk: cannot approve: bob wrote or edited"),
                "\(fourEyes.stderr)")
        #expect(try cli("approve", id, user: "dave").status == 0)
        let role = try cli("publish", id, user: "alice")
        #expect(role.stderr.hasPrefix("copydesk: cannot publish: publishing needs the publisher role"), "\(role.stderr)")

        let replayed = try cli("replay")
        #expect(replayed.stdout.contains(" of 1 article in "), "\(replayed.stdout)")
    }

    @Test("scheduler --once says what it published, or that nothing was due")
    func schedulerOnce() async throws {
        let fixture = try await WorkflowFixture()
        let cli = CLI(databaseURL: fixture.database.ownerConninfo)
        let nothing = try cli("scheduler", "--once")
        #expect(nothing.status == 0 && nothing.stdout == "nothing due: no scheduled article's time has come\n")

        let id = try await fixture.draft(ArticleContent(title: "По расписанию"))
        try await fixture.run(.submit, on: id, as: fixture.alice)
        try await fixture.run(.approve(note: nil), on: id, as: fixture.bob)
        try await fixture.run(.publish(at: Date.now.addingTimeInterval(1.5)), on: id, as: fixture.carol)
        try await Task.sleep(for: .seconds(2))
        let published = try cli("scheduler", "--once")
        #expect(published.status == 0)
        #expect(published.stdout.hasPrefix("published \(id.lowercased) (scheduled for "), "\(published.stdout)")
        #expect(published.stdout.hasSuffix("s late)\npublished 1 article\n"), "\(published.stdout)")
    }

    @Test("importing a file already imported writes nothing and names the article; --again imports it anyway")
    func importOnce() async throws {
        let fixture = try await WorkflowFixture()
        let cli = CLI(databaseURL: fixture.database.ownerConninfo)
        let first = try cli("import", WorkflowFixture.seedFile, user: "alice")
        #expect(first.status == 0 && first.stderr.isEmpty)
        let id = first.stdout.trimmingCharacters(in: .newlines)
        let events = try await fixture.eventCount()

        let second = try cli("import", WorkflowFixture.seedFile, user: "bob")
        #expect(second.status == 0 && second.stdout == first.stdout)
        #expect(second.stderr == "copydesk: \(WorkflowFixture.seedFile): already imported as \(id); nothing was written "
            + "(--again imports it as a new article)\n")
        #expect(try await fixture.eventCount() == events)

        // Edited since: still the same file as before.
        #expect(try cli("edit", id, "--replace", "Асхад=Асхат", user: "alice").status == 0)
        #expect(try cli("import", WorkflowFixture.seedFile, user: "alice").stdout == first.stdout)

        let again = try cli("import", WorkflowFixture.seedFile, "--again", user: "alice")
        #expect(again.status == 0 && again.stderr.isEmpty)
        let newID = again.stdout.trimmingCharacters(in: .newlines)
        #expect(UUID(uuidString: newID) != nil && newID != id)
    }
}
