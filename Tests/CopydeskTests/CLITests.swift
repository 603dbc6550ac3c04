import Copydesk
import Foundation
import LocalPostgres
import Testing
import TestSupport

@Suite("The copydesk command line")
struct CLITests {
    @Test("the binary is built next to the tests")
    func binaryExists() {
        #expect(FileManager.default.isExecutableFile(atPath: CLI.binary.path), "build it with `swift build --build-tests`")
    }

    @Test("draft prints the id alone; refusals exit 2 with one line and leave the history unchanged")
    func workflowExitStatuses() async throws {
        let fixture = try await WorkflowFixture()
        let cli = CLI(databaseURL: fixture.database.ownerConninfo)
        let drafted = try cli("draft", "--title", "Консул", "--body", "Текст", user: "alice")
        #expect(drafted.status == 0)
        let id = drafted.stdout.trimmingCharacters(in: .newlines)
        #expect(UUID(uuidString: id) != nil && drafted.stdout == id + "\n")

        let historyBefore = try cli("history", id, "--json").stdout
        let publishDraft = try cli("publish", id, user: "carol")
        #expect(publishDraft.status == 2)
        #expect(publishDraft.stderr.contains("draft") && publishDraft.stderr.split(separator: "\n").count == 1)
        #expect(publishDraft.stdout.isEmpty)

        let unknown = try cli("submit", id, user: "mallory")
        #expect(unknown.status == 4 && unknown.stderr.contains("mallory"))
        let nobody = try cli("submit", id)
        #expect(nobody.status == 64 && nobody.stderr.contains("--as"))
        #expect(try cli("history", id, "--json").stdout == historyBefore)

        #expect(try cli("submit", id, user: "alice").status == 0)
        let noReason = try cli("request-changes", id, "--reason", " ", user: "bob")
        #expect(noReason.status == 2 && noReason.stderr.contains("reason"))
        let missingReason = try cli("request-changes", id, user: "bob")
        #expect(missingReason.status == 64)
        let ownApproval = try cli("approve", id, user: "alice")
        #expect(ownApproval.status == 2)

        let show = try cli("show", id, "--json")
        let json = try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any]
        #expect(json?["state"] as? String == "in_review")
        for key in ["id", "state", "version", "title", "lead", "body", "section", "tags", "author", "createdAt", "updatedAt",
                    "live", "pendingRevision"] {
            #expect(json?[key] != nil, "show --json has \(key)")
        }
    }

    @Test("input over a limit exits 5 naming the field and the limit, and writes nothing; tags are normalized")
    func overLimit() async throws {
        let fixture = try await WorkflowFixture()
        let cli = CLI(databaseURL: fixture.database.ownerConninfo)
        let events = try await fixture.eventCount()
        let title = try cli("draft", "--title", String(repeating: "Ж", count: 1_001), user: "alice")
        #expect(title.status == 5)
        #expect(title.stderr.contains("title") && title.stderr.contains("at most 1000"), "\(title.stderr)")
        let tag = try cli("draft", "--title", "T", "--tag", String(repeating: "t", count: 101), user: "alice")
        #expect(tag.status == 5 && tag.stderr.contains("at most 100"), "\(tag.stderr)")
        #expect(try await fixture.eventCount() == events)

        let id = try cli("draft", "--title", "T", "--tag", " a ", "--tag", "a", "--tag", "b", user: "alice")
            .stdout.trimmingCharacters(in: .newlines)
        let shown = try JSONSerialization.jsonObject(with: Data(try cli("show", id, "--json").stdout.utf8)) as? [String: Any]
        #expect(shown?["tags"] as? [String] == ["a", "b"])
    }

    @Test("a body file with a NUL byte is refused (exit 2) and writes nothing")
    func nulInBodyFile() async throws {
        let fixture = try await WorkflowFixture()
        let cli = CLI(databaseURL: fixture.database.ownerConninfo)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("nul-\(UUID().uuidString).txt")
        try Data("Текст\u{0}дальше".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let events = try await fixture.eventCount()

        let drafted = try cli("draft", "--title", "T", "--body-file", file.path, user: "alice")
        #expect(drafted.status == 2)
        #expect(drafted.stderr.contains("the body holds a NUL character"))
        let id = try cli("draft", "--title", "T", user: "alice").stdout.trimmingCharacters(in: .newlines)
        let edited = try cli("edit", id, "--body-file", file.path, user: "alice")
        #expect(edited.status == 2)
        #expect(edited.stderr.contains("draft") && edited.stderr.contains("NUL"))
        #expect(try await fixture.eventCount() == events + 1)
    }

    @Test("replay reports its own peak memory, not that of the larger process that started it")
    func replayReportsItsOwnPeakMemory() async throws {
        let fixture = try await WorkflowFixture()
        let cli = CLI(databaseURL: fixture.database.ownerConninfo)
        _ = try cli("draft", "--title", "Memory", user: "alice")
        // This process first holds 400 MB, so that a figure inherited from it could not pass.
        let size = 400 << 20
        let held = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 4096)
        defer { held.deallocate() }
        for offset in stride(from: 0, to: size, by: 4096) { held[offset] = 1 }
        #expect(peakResidentMegabytes() >= 400)

        let replayed = try cli("replay")
        #expect(replayed.status == 0, "\(replayed.stderr)")
        let reported = try #require(replayed.stdout.firstMatch(of: /peak memory (\d+) MB/).flatMap { Int($0.1) })
        #expect(reported > 0 && reported < 200, "\(replayed.stdout)")
    }

    @Test("a version conflict exits 3; unknown ids and users exit 4; each says which command helps; bad ids are usage errors")
    func conflictAndNotFound() async throws {
        let fixture = try await WorkflowFixture()
        let cli = CLI(databaseURL: fixture.database.ownerConninfo)
        let id = try cli("draft", "--title", "T", user: "alice").stdout.trimmingCharacters(in: .newlines)
        #expect(try cli("edit", id, "--title", "A", "--expect-version", "1", user: "alice").status == 0)
        let second = try cli("edit", id, "--title", "B", "--expect-version", "1", user: "alice")
        #expect(second.status == 3)
        #expect(second.stderr.contains("version 2"))
        #expect(second.stderr.contains("`copydesk show \(id)`") && second.stderr.contains("--expect-version 2"), "\(second.stderr)")
        let unknown = try cli("show", UUID().uuidString)
        #expect(unknown.status == 4 && unknown.stderr.contains("`copydesk list`"), "\(unknown.stderr)")
        let nobody = try cli("submit", id, user: "nobody")
        #expect(nobody.status == 4 && nobody.stderr.contains("`copydesk user list`"), "\(nobody.stderr)")
        #expect(try cli("show", "not-an-id").status == 64)
    }

    @Test("status on a database that is not migrated exits 9 (not 3, which means a conflict) and says what to run")
    func statusBeforeMigrate() async throws {
        let database = try await TestDatabase.empty()
        let run = try CLI(databaseURL: database.ownerConninfo)("status")
        #expect(run.status == 9, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("not migrated yet") && run.stdout.contains("copydesk migrate"))
    }

    @Test("a time without a zone or on a day that does not exist is a usage error, not another time")
    func strictTimes() async throws {
        let fixture = try await WorkflowFixture()
        let cli = CLI(databaseURL: fixture.database.ownerConninfo)
        let id = try cli("draft", "--title", "T", user: "alice").stdout.trimmingCharacters(in: .newlines)
        #expect(try cli("submit", id, user: "alice").status == 0)
        #expect(try cli("approve", id, user: "bob").status == 0)
        let events = try await fixture.eventCount()
        // ISO8601DateFormatter read the first as midnight and the second as 2 March.
        for at in ["2027-12-01T09:00:00", "2027-02-30T09:00:00Z", "99999-12-01T09:00:00Z"] {
            let scheduled = try cli("publish", id, "--at", at, user: "carol")
            #expect(scheduled.status == 64, "\(at): \(scheduled.stdout)")
            #expect(scheduled.stderr.contains(at))
        }
        #expect(try await fixture.eventCount() == events)
        let scheduled = try cli("publish", id, "--at", "2027-12-01T09:00:00+03:00", user: "carol")
        #expect(scheduled.status == 0)
        #expect(scheduled.stdout.contains("2027-12-01T06:00:00"))
    }

    @Test("import prints one id per article; a malformed file exits 5 naming file and line")
    func importFiles() async throws {
        let fixture = try await WorkflowFixture()
        let cli = CLI(databaseURL: fixture.database.ownerConninfo)
        let seeds = URL(fileURLWithPath: WorkflowFixture.seedFile).deletingLastPathComponent().path
        let imported = try cli("import", seeds, user: "alice")
        #expect(imported.status == 0)
        #expect(imported.stdout.split(separator: "\n").compactMap { UUID(uuidString: String($0)) }.count == 1)

        let broken = FileManager.default.temporaryDirectory.appendingPathComponent("broken-\(UUID().uuidString).txt")
        try "Title\nnot blank\n".write(to: broken, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: broken) }
        let failed = try cli("import", broken.path, user: "alice")
        #expect(failed.status == 5)
        #expect(failed.stderr.contains(broken.lastPathComponent + ":2"))
        #expect(try await fixture.eventCount() == 1)
    }

    @Test("user add prints a token once; user list shows names and roles")
    func users() async throws {
        let fixture = try await WorkflowFixture()
        let cli = CLI(databaseURL: fixture.database.ownerConninfo)
        let added = try cli("user", "add", "frank", "--role", "editor")
        #expect(added.status == 0 && added.stdout.hasPrefix("cd_"))
        let listed = try cli("user", "list")
        #expect(listed.stdout.contains("frank") && listed.stdout.contains("editor"))
        #expect(!listed.stdout.contains(added.stdout.trimmingCharacters(in: .newlines)))
        #expect(try cli("user", "add", "gina", "--role", "boss").status == 64)
    }
}
