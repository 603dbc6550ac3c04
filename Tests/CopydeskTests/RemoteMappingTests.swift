import Copydesk
@testable import copydesk
import Editorial
import Foundation
import Testing

/// The remote mode's pieces that need no server: which route each command takes, which exit
/// status each problem gets, and the credentials file.
@Suite("Remote mode: routes, problems, credentials")
struct RemoteMappingTests {
    static let article = UUID(uuidString: "0a0b0c0d-0000-4000-8000-000000000001")!

    /// Every command a person gives, with the route openapi.yaml must describe for it.
    static let commands: [(ArticleCommand.Action, method: String, path: String)] = [
        (.draft(id: article, content: ArticleContent(title: "T"), originalDate: nil), "post", "/articles"),
        (.edit(ContentChanges(title: "T"), note: nil), "patch", "/articles/{id}"),
        (.submit, "post", "/articles/{id}/submit"),
        (.requestChanges(reason: "r"), "post", "/articles/{id}/request-changes"),
        (.approve(note: nil), "post", "/articles/{id}/approve"),
        (.publish(at: nil), "post", "/articles/{id}/publish"),
        (.unpublish(reason: "r"), "post", "/articles/{id}/unpublish"),
        (.archive, "post", "/articles/{id}/archive"),
        (.comment(text: "c"), "post", "/articles/{id}/comments"),
        (.unschedule(reason: nil), "post", "/articles/{id}/unschedule"),
        (.restore(reason: "r"), "post", "/articles/{id}/restore"),
        (.revert(toVersion: 2, content: nil, note: nil), "post", "/articles/{id}/revert"),
    ]

    @Test("every workflow command goes to the route openapi.yaml describes for it")
    func routesAreDescribed() throws {
        let spec = try String(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("../../Sources/CopydeskHTTP/openapi.yaml"),
            encoding: .utf8)
        for (action, method, template) in Self.commands {
            let route = try RemoteRoute(action, on: Self.article)
            #expect(route.method.rawValue.lowercased() == method, "\(action.kind)")
            #expect(route.path == template.replacingOccurrences(of: "{id}", with: Self.article.lowercased))
            let after = spec.components(separatedBy: "\n  \(template):\n").dropFirst().first
            let section = try #require(after?.components(separatedBy: "\n  /").first, "\(template) is not in openapi.yaml")
            #expect(("\n" + section).contains("\n    \(method):"), "\(method) \(template) is not in openapi.yaml")
        }
        #expect(throws: RemoteFailure.self) { try RemoteRoute(.publishDue, on: Self.article) }
    }

    @Test("a command's body holds the fields given and leaves out the ones not given")
    func bodies() throws {
        func object(_ action: ArticleCommand.Action) throws -> [String: Any] {
            let json = try RemoteRoute(action, on: Self.article).json()
            return try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        }
        let at = Date(timeIntervalSince1970: 1_800_000_000.25)
        #expect(try object(.publish(at: at))["at"] as? String == "2027-01-15T08:00:00.250Z")
        #expect(try object(.publish(at: nil)).isEmpty)
        #expect(try object(.submit).isEmpty)
        let edit = try object(.edit(ContentChanges(body: "Текст", tags: []), note: "n"))
        #expect(Set(edit.keys) == ["body", "tags", "note"])
        #expect(edit["tags"] as? [String] == [])
    }

    @Test("each problem the API answers gets the direct mode's exit status")
    func problemsGetTheDirectModesStatus() {
        func status(_ http: Int, _ kind: String, currentVersion: Int64? = nil) -> Int32? {
            let problem = RemoteProblem(
                type: "https://copydesk.dev/problems/\(kind)", detail: "detail", currentVersion: currentVersion)
            let error = problem.error(status: http, server: "http://s", article: Self.article, expectedVersion: 2)
            switch error {
            case let failure as RemoteFailure: return failure.status
            case WorkflowError.articleNotFound: return ExitStatus.notFound
            case WorkflowError.conflict(_, let expected, let actual):
                #expect(expected == 2 && actual == currentVersion)
                return ExitStatus.conflict
            case WorkflowError.invalidInput: return ExitStatus.invalidInput
            default: return nil
            }
        }
        #expect(status(409, "wrong-state") == ExitStatus.refused)
        #expect(status(403, "four-eyes") == ExitStatus.refused)
        #expect(status(422, "reason-required") == ExitStatus.refused)
        #expect(status(422, "over-limit") == ExitStatus.invalidInput)
        #expect(status(409, "not-found") == ExitStatus.refused)
        #expect(status(412, "stale-version", currentVersion: 5) == ExitStatus.conflict)
        #expect(status(409, "version-conflict", currentVersion: 5) == ExitStatus.conflict)
        #expect(status(404, "not-found") == ExitStatus.notFound)
        #expect(status(422, "invalid-input") == ExitStatus.invalidInput)
        #expect(status(400, "invalid-query") == ExitStatus.invalidInput)
        #expect(status(401, "invalid-token") == ExitStatus.refused)
        #expect(status(429, "too-many-failed-authentications") == ExitStatus.refused)
        #expect(status(403, "role-required") == ExitStatus.refused)
        #expect(status(503, "database-unavailable") == ExitStatus.databaseUnavailable)
        #expect(status(502, "http-502") == ExitStatus.databaseUnavailable)
        #expect(status(500, "internal-error") == ExitStatus.failure)
    }

    @Test("a server URL is http or https with a host; its trailing slash goes")
    func serverURLs() throws {
        #expect(try RemoteConfiguration.serverURL("https://copydesk.example.org/") == "https://copydesk.example.org")
        #expect(try RemoteConfiguration.serverURL("http://127.0.0.1:8080") == "http://127.0.0.1:8080")
        for bad in ["copydesk.example.org", "ftp://x", "http://", "https://x/?a=1"] {
            #expect(throws: RemoteFailure.self, "\(bad)") { try RemoteConfiguration.serverURL(bad) }
        }
        #expect(
            RemoteClient.queryString([("search", "C++ и всё"), ("state", nil)])
                == "?search=C%2B%2B%20%D0%B8%20%D0%B2%D1%81%D1%91")
    }

    @Test("credentials are written 0600 in a 0700 directory, per server; the file goes with the last token")
    func credentialsFile() throws {
        let home = FileManager.default.temporaryDirectory
            .appendingPathComponent("copydesk-credentials-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let environment = ["XDG_CONFIG_HOME": home.path]
        var credentials = try Credentials.load(environment)
        credentials.set("cd_a", for: "https://a.example")
        credentials.set("cd_b", for: "https://b.example")
        try credentials.save(environment)

        let file = Credentials.file(environment)
        #expect(file.path == home.path + "/copydesk/credentials.json")
        let permissions = { (path: String) in
            (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
        }
        #expect(try permissions(file.path) == 0o600)
        #expect(try permissions(file.deletingLastPathComponent().path) == 0o700)
        #expect(try Credentials.load(environment).token(for: "https://b.example") == "cd_b")

        credentials.set(nil, for: "https://a.example")
        try credentials.save(environment)
        #expect(try Credentials.load(environment).token(for: "https://a.example") == nil)
        credentials.set(nil, for: "https://b.example")
        try credentials.save(environment)
        #expect(!FileManager.default.fileExists(atPath: file.path))
        #expect(Credentials.file(["HOME": "/home/ed"]).path == "/home/ed/.config/copydesk/credentials.json")
    }
}
