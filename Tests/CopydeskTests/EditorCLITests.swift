import Copydesk
import Foundation
import Testing
import TestSupport

/// Runs `copydesk` with extra environment variables (an editor, a time zone), as a user's shell would.
func runCLI(_ cli: CLI, _ arguments: [String], user: String? = nil, environment: [String: String]) throws -> CLI.Run {
    let process = cli.process(arguments, user: user)
    var merged = process.environment ?? [:]
    for name in ["VISUAL", "EDITOR", "NO_COLOR", "TZ"] { merged.removeValue(forKey: name) }
    merged.merge(environment) { _, new in new }
    process.environment = merged
    process.standardInput = FileHandle.nullDevice
    return try CLI.finish(process)
}

/// A folder of its own for one test's editor scripts and kept texts, removed at the end.
struct ScratchFolder {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("copydesk-edit-\(UUID().uuidString)")

    init() throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }

    /// An executable shell script with this body.
    func script(_ name: String, _ body: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try Data(("#!/bin/sh\n" + body + "\n").utf8).write(to: file)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file.path)
        return file.path
    }

    /// The texts `copydesk edit` left here (TMPDIR points here).
    func keptTexts() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url.path).filter { $0.hasPrefix("copydesk-") }
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

@Suite("Editing from the command line: --replace, $EDITOR, and the diff an editor reads")
struct EditorCLITests {
    /// The seed article imported as alice's draft.
    static func seedArticle(_ cli: CLI) throws -> String {
        let imported = try cli("import", WorkflowFixture.seedFile, user: "alice")
        #expect(imported.status == 0, "\(imported.stderr)")
        return imported.stdout.trimmingCharacters(in: .newlines)
    }

    @Test("the consul's name is fixed in one command, and diff shows that fix with a few words, not the whole body")
    func replaceAndDiff() async throws {
        let fixture = try await WorkflowFixture()
        let cli = CLI(databaseURL: fixture.database.ownerConninfo)
        let id = try Self.seedArticle(cli)

        let fixed = try cli("edit", id, "--replace", "Асхад=Асхат", user: "alice")
        #expect(fixed.status == 0, "\(fixed.stderr)")
        #expect(fixed.stdout == "\(id): draft, version 2\n\"Асхад\" → \"Асхат\": 1 replacement (body)\n")
        let show = try JSONSerialization.jsonObject(with: Data(try cli("show", id, "--json").stdout.utf8)) as? [String: Any]
        let body = try #require(show?["body"] as? String)
        #expect(!body.contains("Асхад") && body.contains("Асхат Сыздыков сказал"))

        let diff = try cli("diff", id)
        #expect(diff.status == 0)
        #expect(diff.stdout.contains("version 1 → version 2\n\nbody:\n…\n[-Асхад-]{+Асхат+} Сыздыков сказал о своей готовности …\n"),
                "\(diff.stdout)")
        #expect(diff.stdout.count < 300, "the whole body was printed: \(diff.stdout.count) characters")
        #expect(!diff.stdout.contains("На встрече обсуждались перспективы"))
        #expect(try cli("diff", id, "--full").stdout.contains("На встрече обсуждались перспективы"))

        let events = try await fixture.eventCount()
        let again = try cli("edit", id, "--replace", "Асхад=Асхат", user: "alice")
        #expect(again.status == 5)
        #expect(again.stderr == "copydesk: \"Асхад\" is nowhere in the title, lead or body of the article "
            + "(replacing is exact: case and spelling); nothing was written\n")
        let inTitle = try cli("edit", id, "--replace", "Сыздыков=Сыздыкова", "--in", "title", user: "alice")
        #expect(inTitle.status == 5 && inTitle.stderr.contains("nowhere in the title of"), "\(inTitle.stderr)")
        #expect(try cli("edit", id, "--replace", "Асхат", user: "alice").status == 64)
        #expect(try cli("edit", id, "--replace", "a=b", "--title", "T", user: "alice").status == 64)
        #expect(try await fixture.eventCount() == events)
    }

    @Test("several replacements in several fields are counted per field")
    func severalReplacements() async throws {
        let fixture = try await WorkflowFixture()
        let cli = CLI(databaseURL: fixture.database.ownerConninfo)
        let id = try cli("draft", "--title", "Порт открыт", "--lead", "Порт и порт.", "--body", "В порт вошли суда.",
                         user: "alice").stdout.trimmingCharacters(in: .newlines)
        let run = try cli("edit", id, "--replace", "порт=причал", "--replace", "суда=корабли", user: "alice")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasSuffix("\"порт\" → \"причал\": 2 replacements (1 in lead, 1 in body)\n"
            + "\"суда\" → \"корабли\": 1 replacement (body)\n"), "\(run.stdout)")
    }

    @Test("EDITOR opens the article in the seed layout; saving edits the version that was opened")
    func editInEditor() async throws {
        let fixture = try await WorkflowFixture()
        let cli = CLI(databaseURL: fixture.database.ownerConninfo)
        let id = try Self.seedArticle(cli)
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let layout = scratch.url.appendingPathComponent("opened.txt").path
        let editor = try scratch.script("fix-name", "cp \"$1\" '\(layout)'\nsed -i 's/Асхад/Асхат/' \"$1\"")

        let run = try runCLI(cli, ["edit", id], user: "alice", environment: ["EDITOR": editor, "TMPDIR": scratch.url.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "\(id): draft, version 2\n")
        // The seed file itself, with the line break an editor ends a file with.
        let seed = try String(contentsOfFile: WorkflowFixture.seedFile, encoding: .utf8)
        #expect(try String(contentsOfFile: layout, encoding: .utf8) == seed + "\n")
        let diff = try cli("diff", id)
        #expect(diff.stdout.contains("[-Асхад-]{+Асхат+}") && diff.stdout.contains("unchanged: title, lead, section, tags"),
                "\(diff.stdout)")
        #expect(try scratch.keptTexts().isEmpty, "the edited text was left behind after a successful edit")

        let events = try await fixture.eventCount()
        let unchanged = try runCLI(cli, ["edit", id], user: "alice", environment: ["VISUAL": "true", "EDITOR": "false"])
        #expect(unchanged.status == 0 && unchanged.stdout.contains("no change"), "\(unchanged.stderr)")
        #expect(try await fixture.eventCount() == events)
    }

    @Test("a change made while the editor was open is a conflict that keeps the edited text in a printed file")
    func conflictKeepsText() async throws {
        let fixture = try await WorkflowFixture()
        let cli = CLI(databaseURL: fixture.database.ownerConninfo)
        let id = try Self.seedArticle(cli)
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        // The editor fixes the name while someone else changes the title.
        let editor = try scratch.script("fix-name-meanwhile", """
            sed -i 's/Асхад/Асхат/' "$1"
            "$COPYDESK" edit "$ARTICLE" --title "Заголовок, поменянный тем временем" --as alice >/dev/null
            """)
        let run = try runCLI(cli, ["edit", id], user: "alice", environment: [
            "EDITOR": editor, "TMPDIR": scratch.url.path, "COPYDESK": CLI.binary.path, "ARTICLE": id,
        ])
        #expect(run.status == 3, "\(run.stdout)\(run.stderr)")
        let lines = run.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 2 && lines[0].contains("version"), "\(run.stderr)")
        let path = try #require(lines.last?.firstMatch(of: /your text is kept in (\S+) \(edited from version 1\)$/).map { String($0.1) })
        #expect(path.hasPrefix(scratch.url.path))
        let kept = try String(contentsOfFile: path, encoding: .utf8)
        #expect(kept.contains("Асхат Сыздыков сказал") && !kept.contains("Асхад"))

        let uuid = try #require(UUID(uuidString: id))
        let article = try #require(try await fixture.app.queries.article(uuid))
        #expect(article.title == "Заголовок, поменянный тем временем" && article.body.contains("Асхад"))
    }

    @Test("an editor that fails, or a file whose layout was broken, writes nothing and keeps the text")
    func failedEditorKeepsText() async throws {
        let fixture = try await WorkflowFixture()
        let cli = CLI(databaseURL: fixture.database.ownerConninfo)
        let id = try cli("draft", "--title", "Порт", "--body", "Текст.", user: "alice").stdout.trimmingCharacters(in: .newlines)
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        let events = try await fixture.eventCount()

        let failing = try runCLI(cli, ["edit", id], user: "alice", environment: ["EDITOR": "false", "TMPDIR": scratch.url.path])
        #expect(failing.status == 5 && failing.stderr.contains("the editor \"false\" stopped with status 1"), "\(failing.stderr)")
        #expect(failing.stderr.contains("your text is kept in \(scratch.url.path)"))

        let breaking = try scratch.script("two-titles", "sed -i '1s/.*/Один/; 4s/.*/Другой/' \"$1\"")
        let broken = try runCLI(cli, ["edit", id], user: "alice", environment: ["EDITOR": breaking, "TMPDIR": scratch.url.path])
        #expect(broken.status == 5 && broken.stderr.contains("line 4: line 1 and line 4 are two different titles"),
                "\(broken.stderr)")
        #expect(try scratch.keptTexts().count == 2)
        #expect(try await fixture.eventCount() == events)
    }
}
