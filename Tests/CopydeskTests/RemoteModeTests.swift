import Copydesk
import Editorial
import Foundation
import Testing
import TestSupport

/// The remote mode end to end: the real `copydesk` binary against `copydesk serve`, with
/// COPYDESK_URL and tokens and no database URL, beside the same script in the direct mode.
@Suite("The command line through a server (remote mode)")
struct RemoteModeTests {
    @Test("one workflow script prints the same and exits the same in the direct and the remote mode")
    func sameScriptBothModes() async throws {
        let direct = try await Newsroom()
        let remote = try await Newsroom()
        let server = try ServerProcess(databaseURL: remote.database.ownerConninfo)
        defer { server.stop() }

        let directRuns = try Self.script { arguments, user in
            try Binary.run(arguments + (user.map { ["--as", $0] } ?? []), environment: direct.directEnvironment)
        }
        // The same arguments, `--as` included: naming the token's own user is allowed.
        let remoteRuns = try Self.script { arguments, user in
            try Binary.run(
                arguments + (user.map { ["--as", $0] } ?? []),
                environment: remote.remoteEnvironment(server: server.url, user: user ?? "bob"))
        }
        if ProcessInfo.processInfo.environment["COPYDESK_SHOW_SCRIPT"] != nil {
            for run in remoteRuns { print("== \(run.step): \(run.status)\n\(run.stdout)\(run.stderr)") }
        }
        #expect(directRuns.count == remoteRuns.count)
        for (direct, remote) in zip(directRuns, remoteRuns) {
            #expect(remote.status == direct.status, "\(direct.step): exit \(remote.status) remotely")
            #expect(remote.stdout == direct.stdout, "\(direct.step): stdout")
            #expect(remote.stderr == direct.stderr, "\(direct.step): stderr")
        }
        let statuses = Dictionary(directRuns.map { ($0.step, $0.status) }, uniquingKeysWith: { first, _ in first })
        #expect(statuses["own approval"] == 2 && statuses["stale edit"] == 3 && statuses["not found"] == 4)
        #expect(statuses["over a limit"] == 5 && statuses["no such versions"] == 5 && statuses["publish"] == 0)
        #expect(directRuns.first { $0.step == "show" }?.stdout.contains("state:    published") == true)
    }

    @Test("through a server --as and COPYDESK_USER may name only the token's user; nothing is written otherwise")
    func actingAsSomeoneElseIsRefused() async throws {
        let newsroom = try await Newsroom()
        let server = try ServerProcess(databaseURL: newsroom.database.ownerConninfo)
        defer { server.stop() }
        let alice = newsroom.remoteEnvironment(server: server.url, user: "alice")
        let drafted = try Binary.run(["draft", "--title", "Консул"], environment: alice)
        #expect(drafted.status == 0, "\(drafted.stderr)")
        let id = drafted.stdout.trimmingCharacters(in: .newlines)

        let asCarol = try Binary.run(["submit", id, "--as", "carol"], environment: alice)
        #expect(asCarol.status == 64)
        #expect(asCarol.stderr.contains("--as names carol") && asCarol.stderr.contains("alice"), "\(asCarol.stderr)")
        var withUser = alice
        withUser["COPYDESK_USER"] = "carol"
        let viaEnvironment = try Binary.run(["submit", id], environment: withUser)
        #expect(viaEnvironment.status == 64, "\(viaEnvironment.stderr)")
        #expect(viaEnvironment.stderr.contains("COPYDESK_USER names carol"), "\(viaEnvironment.stderr)")
        let history = try Binary.run(["history", id, "--json"], environment: alice)
        let events = try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [Any]
        #expect(events?.count == 1, "only the draft: \(history.stdout)")
        #expect(try Binary.run(["submit", id], environment: alice).status == 0)
    }

    @Test("login keeps a checked token in a 0600 file that the remote mode uses; logout forgets it")
    func loginAndLogout() async throws {
        let newsroom = try await Newsroom()
        let server = try ServerProcess(databaseURL: newsroom.database.ownerConninfo)
        defer { server.stop() }
        let config = FileManager.default.temporaryDirectory
            .appendingPathComponent("copydesk-login-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: config) }
        let environment = Binary.cleanEnvironment.merging(["XDG_CONFIG_HOME": config.path]) { _, new in new }
        let file = config.appendingPathComponent("copydesk/credentials.json")

        let wrong = try Binary.run(["login", server.url], environment: environment, input: "cd_nonsense\n")
        #expect(wrong.status == 2 && wrong.stderr.contains("token"), "\(wrong.stderr)")
        #expect(!FileManager.default.fileExists(atPath: file.path))

        let bobsToken = newsroom.tokens["bob"]!
        let login = try Binary.run(["login", server.url + "/"], environment: environment, input: bobsToken + "\n")
        #expect(login.status == 0, "\(login.stderr)")
        #expect(login.stdout.hasPrefix("Signed in to \(server.url) as bob (editor)."), "\(login.stdout)")
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try String(contentsOf: file, encoding: .utf8).contains(bobsToken))

        var remote = environment
        remote["COPYDESK_URL"] = server.url
        let listed = try Binary.run(["list"], environment: remote)
        #expect(listed.status == 0 && listed.stdout == "No articles match.\n", "\(listed.stderr)")

        let logout = try Binary.run(["logout"], environment: remote)
        #expect(logout.status == 0 && logout.stdout.contains("Signed out"), "\(logout.stdout)")
        #expect(!FileManager.default.fileExists(atPath: file.path))
        let noToken = try Binary.run(["list"], environment: remote)
        #expect(noToken.status == 64 && noToken.stderr.contains("copydesk login"), "\(noToken.stderr)")
    }

    @Test("operator commands, an unreachable server and a wrong token each say so, with their exit status")
    func operatorCommandsAndFailures() async throws {
        let newsroom = try await Newsroom()
        let server = try ServerProcess(databaseURL: newsroom.database.ownerConninfo)
        defer { server.stop() }
        let bob = newsroom.remoteEnvironment(server: server.url, user: "bob")

        for command in [["migrate"], ["user", "list"], ["verify"], ["status"]] {
            let run = try Binary.run(command, environment: bob)
            #expect(run.status == 6, "\(command): \(run.status) \(run.stderr)")
            #expect(run.stderr.contains("is an operator command"), "\(run.stderr)")
            #expect(run.stderr.contains("Set COPYDESK_DATABASE_URL"), "\(run.stderr)")
        }
        var wrongToken = bob
        wrongToken["COPYDESK_TOKEN"] = "cd_0000000000000000_nothing"
        let refused = try Binary.run(["list"], environment: wrongToken)
        #expect(refused.status == 2 && refused.stderr.contains("token"), "\(refused.stderr)")

        var nowhere = bob
        nowhere["COPYDESK_URL"] = "http://127.0.0.1:9"
        let unreachable = try Binary.run(["submit", UUID().uuidString], environment: nowhere)
        #expect(unreachable.status == 6 && unreachable.stderr.contains("cannot reach"), "\(unreachable.stderr)")
        #expect(unreachable.stderr.split(separator: "\n").count == 1)

        // An author may not read the audit log over the API: a refusal, as for any other right.
        let alice = newsroom.remoteEnvironment(server: server.url, user: "alice")
        #expect(try Binary.run(["audit"], environment: alice).status == 2)
    }

    // MARK: - The script

    /// One step's result, with ids and times replaced so that two runs compare.
    struct Step {
        let step: String
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Draft → edit → submit → a refusal → approve by another user → a stale edit → publish →
    /// comment → not found → over a limit → invalid versions, then every query.
    static func script(_ copydesk: ([String], String?) throws -> Binary.Run) throws -> [Step] {
        var steps: [Step] = []
        var id = ""
        func step(_ name: String, _ arguments: [String], as user: String? = nil) throws {
            let run = try copydesk(arguments.map { $0 == "ID" ? id : $0 }, user)
            if name == "draft" { id = run.stdout.trimmingCharacters(in: .newlines) }
            steps.append(Step(
                step: name, status: run.status, stdout: normalized(run.stdout), stderr: normalized(run.stderr)))
        }
        try step(
            "draft",
            ["draft", "--title", "Консул прибыл", "--lead", "Коротко.", "--body", "Асхад прибыл в город.",
             "--section", "Politics", "--tag", "визит"],
            as: "alice")
        try step("edit", ["edit", "ID", "--body", "Асхат прибыл в город.", "--note", "имя консула"], as: "alice")
        try step("submit", ["submit", "ID"], as: "alice")
        try step("own approval", ["approve", "ID"], as: "alice")
        try step("approve", ["approve", "ID", "--note", "проверено"], as: "bob")
        try step("stale edit", ["edit", "ID", "--title", "Другой", "--expect-version", "2"], as: "alice")
        try step("publish", ["publish", "ID"], as: "carol")
        try step("comment", ["comment", "ID", "--text", "Хорошо"], as: "bob")
        try step("not found", ["submit", "00000000-0000-4000-8000-000000000000"], as: "alice")
        try step("over a limit", ["draft", "--title", String(repeating: "Ж", count: 1_001)], as: "alice")
        try step("no such versions", ["diff", "ID", "1", "99"])
        try step("show", ["show", "ID"])
        try step("show --json", ["show", "ID", "--json"])
        try step("show --version", ["show", "ID", "--version", "2"])
        try step("show unknown", ["show", "00000000-0000-4000-8000-000000000000"])
        try step("list", ["list"])
        try step("list --json", ["list", "--state", "published", "--json"])
        try step("history", ["history", "ID"])
        try step("diff", ["diff", "ID"])
        try step("diff --json", ["diff", "ID", "1", "2", "--json"])
        try step("audit", ["audit", "--article", "ID"])
        try step("audit csv", ["audit", "--article", "ID", "--format", "csv"])
        return steps
    }

    /// Ids and times (which differ between two runs) replaced; and the events' origin, which is the
    /// truth in each mode (`cli` directly, `http` through the server).
    static func normalized(_ text: String) -> String {
        var text = text
        let patterns = [
            (#"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"#, "ID"),
            (#"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)"#, "TIME"),
            (#"("correlationId"\s*:\s*)"[^"]*""#, "$1\"…\""),
            (#"("origin"\s*:\s*)"(cli|http)""#, "$1\"…\""),
            (#",(cli|http),[^,\r\n]*,ID,"#, ",…,…,ID,"),  // CSV: origin, correlation id, command id
            (#"(; )?via http"#, ""),
        ]
        for (pattern, replacement) in patterns {
            text = text.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
        }
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.replacingOccurrences(of: #"\s+$"#, with: "", options: .regularExpression) }
            .joined(separator: "\n")
    }
}
