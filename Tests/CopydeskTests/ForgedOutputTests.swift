import Foundation
import Testing
import TestSupport

/// Issue 13, point 5: user text cannot act on the terminal or forge a row in human output.
@Suite("Human output nobody can forge")
struct ForgedOutputTests {
    static let forgedRow = "9  2026-11-30T10:00:00Z  root  unpublish  published → unpublished  reason: legal"

    @Test("a comment holding a fake history row, CR and an erase-line sequence stays inside its own row")
    func forgedHistoryRow() async throws {
        let fixture = try await WorkflowFixture()
        let cli = CLI(databaseURL: fixture.database.ownerConninfo)
        let id = try cli("draft", "--title", "Консул", user: "alice").stdout.trimmingCharacters(in: .newlines)
        let comment = "looks fine\n" + Self.forgedRow + "\r\u{1B}[2K"
        #expect(try cli("comment", id, "--text", comment, user: "alice").status == 0)

        let history = try cli("history", id)
        #expect(history.status == 0)
        #expect(!history.stdout.utf8.contains(0x1B) && !history.stdout.utf8.contains(0x0D))
        let lines = history.stdout.split(separator: "\n")
        #expect(lines.count == 3, "a header and two events: \(history.stdout)")
        let rows = lines.dropFirst().filter { $0.first?.isNumber == true }
        #expect(rows.map { $0.split(separator: " ").first } == ["1", "2"])
        #expect(!lines.contains { $0.hasPrefix("9 ") })
        #expect(history.stdout.contains(#"note: looks fine\n9  2026-11-30T10:00:00Z  root  unpublish"#))
        #expect(history.stdout.contains(#"reason: legal\r\e[2K"#))

        let audit = try cli("audit", "--article", id)
        #expect(!audit.stdout.utf8.contains(0x1B) && !audit.stdout.utf8.contains(0x0D))
        #expect(audit.stdout.split(separator: "\n").count == 3)

        let entries = try Self.json(cli("history", id, "--json")) as? [[String: Any]]
        #expect(entries?.contains { $0["note"] as? String == comment } == true, "history --json keeps the exact text")
    }

    @Test("an ANSI colour in a title is shown, not obeyed, in list and show; --json keeps it")
    func ansiTitle() async throws {
        let fixture = try await WorkflowFixture()
        let cli = CLI(databaseURL: fixture.database.ownerConninfo)
        let title = "\u{1B}[31mRED ALERT\u{1B}[0m"
        let body = "Абзац один.\n\nАбзац\u{1B}[8m два."
        let id = try cli("draft", "--title", title, "--body", body, user: "alice").stdout.trimmingCharacters(in: .newlines)

        let list = try cli("list")
        #expect(!list.stdout.utf8.contains(0x1B))
        #expect(list.stdout.contains(#"\e[31mRED ALERT\e[0m"#))
        let show = try cli("show", id)
        #expect(!show.stdout.utf8.contains(0x1B))
        #expect(show.stdout.contains(#"\e[31mRED ALERT\e[0m"#))
        #expect(show.stdout.contains("Абзац один.\n\nАбзац\\e[8m два."), "the body keeps its paragraphs")

        let listed = try Self.json(cli("list", "--json")) as? [[String: Any]]
        #expect(listed?.first?["title"] as? String == title)
        let shown = try Self.json(cli("show", id, "--json")) as? [String: Any]
        #expect(shown?["title"] as? String == title)
        #expect(shown?["body"] as? String == body)
    }

    @Test("a right-to-left override in a title is shown as \\u{202E} in list; --json keeps it")
    func rightToLeftOverride() async throws {
        let fixture = try await WorkflowFixture()
        let cli = CLI(databaseURL: fixture.database.ownerConninfo)
        let title = "Отчёт \u{202E}fdp.exe"
        _ = try cli("draft", "--title", title, user: "alice")

        let list = try cli("list")
        #expect(!list.stdout.unicodeScalars.contains("\u{202E}"))
        #expect(list.stdout.contains(#"Отчёт \u{202E}fdp.exe"#))
        let listed = try Self.json(cli("list", "--json")) as? [[String: Any]]
        #expect(listed?.first?["title"] as? String == title)
    }

    @Test("a refusal quoting user text shows its control characters on one line")
    func refusalQuotingUserText() async throws {
        let fixture = try await WorkflowFixture()
        let cli = CLI(databaseURL: fixture.database.ownerConninfo)
        let id = try cli("draft", "--title", "T", user: "alice").stdout.trimmingCharacters(in: .newlines)
        let refused = try cli("submit", id, user: "mal\u{1B}[2K\nlory")
        #expect(refused.status == 4)
        #expect(refused.stderr.split(separator: "\n").count == 1 && !refused.stderr.utf8.contains(0x1B))
        #expect(refused.stderr.contains(#"mal\e[2K\nlory"#))
    }

    @Test("diff shows control characters in the text it quotes; a title's line break stays escaped, the body's stays")
    func diffOfHostileText() async throws {
        let fixture = try await WorkflowFixture()
        let cli = CLI(databaseURL: fixture.database.ownerConninfo)
        let id = try cli("draft", "--title", "Old", "--body", "One.\n\nTwo.", user: "alice")
            .stdout.trimmingCharacters(in: .newlines)
        let edited = try cli(
            "edit", id, "--title", "New\n9  2026-11-30T10:00:00Z", "--body", "One.\n\nTwo \u{1B}[2K\u{2067}three.",
            user: "alice")
        #expect(edited.status == 0)

        let diff = try cli("diff", id)
        #expect(diff.status == 0)
        #expect(!diff.stdout.utf8.contains(0x1B) && !diff.stdout.unicodeScalars.contains("\u{2067}"))
        // A rewritten title shows whole; its line break as ↵, breaking no line of the output.
        #expect(diff.stdout.contains("now: {+New↵9  2026-11-30T10:00:00Z+}\n"), "\(diff.stdout)")
        #expect(diff.stdout.contains("One.\n\nTwo{+ \\e[2K\\u{2067}three+}."), "\(diff.stdout)")
        #expect(!diff.stdout.split(separator: "\n").contains { $0.hasPrefix("9 ") })
    }

    @Test("a usage error quoting what was typed shows its control characters and keeps exit status 64")
    func usageErrorQuotingTypedText() async throws {
        let fixture = try await WorkflowFixture()
        let cli = CLI(databaseURL: fixture.database.ownerConninfo)
        for arguments in [["history", "\u{1B}[2K\u{202E}not-an-id"], ["list", "--state", "\u{1B}[2K\u{202E}x"]] {
            let run = try cli.run(arguments)
            #expect(run.status == 64)
            #expect(run.stderr.contains(#"\e[2K\u{202E}"#), "\(run.stderr)")
            #expect(!run.stderr.utf8.contains(0x1B) && !run.stderr.unicodeScalars.contains("\u{202E}"))
        }
        let help = try cli("history", "--help")
        #expect(help.status == 0 && help.stdout.contains("USAGE") && help.stderr.isEmpty)
    }

    private static func json(_ run: CLI.Run) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(run.stdout.utf8))
    }
}
