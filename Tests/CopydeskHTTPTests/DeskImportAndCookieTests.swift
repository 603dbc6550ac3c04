import Copydesk
import CopydeskHTTP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// Uploading seed files, the session cookie behind TLS, and what a new password does to sessions.
@Suite("Desk import and sessions", .serialized)
struct DeskImportAndCookieTests {
    @Test("uploaded seed files become drafts; a malformed one is named with its line and writes nothing")
    func importUpload() async throws {
        let fixture = try await HTTPFixture()
        try await fixture.setDeskPasswords()
        let seed = try Data(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
                    "seeds/000_5f9bf97b76e61b5f.txt"))
        try await fixture.application().test(.router) { client in
            var alice = DeskBrowser(client)
            try await alice.signIn("alice")
            let csrf = try await alice.csrf(on: "/desk/import")
            let boundary = "----deskboundary7MA4YWxkTrZu0gW"
            var body = Data()
            func part(_ headers: String, _ content: Data) {
                body.append(Data("--\(boundary)\r\n\(headers)\r\n\r\n".utf8))
                body.append(content)
                body.append(Data("\r\n".utf8))
            }
            part("Content-Disposition: form-data; name=\"csrf\"", Data(csrf.utf8))
            part(
                "Content-Disposition: form-data; name=\"files\"; filename=\"000_sample.txt\"\r\nContent-Type: text/plain",
                seed)
            part(
                "Content-Disposition: form-data; name=\"files\"; filename=\"../broken.txt\"\r\nContent-Type: text/plain",
                Data("Only a title\n".utf8))
            body.append(Data("--\(boundary)--\r\n".utf8))
            let before = try await fixture.eventCount()
            let response = try await client.executeRequest(
                uri: "/desk/import", method: .post,
                headers: [.cookie: alice.cookie!, .contentType: "multipart/form-data; boundary=\(boundary)"],
                body: ByteBuffer(bytes: body))
            #expect(response.status == .unprocessableContent)
            let page = response.text
            let created = try #require(page.element(id: "created", tag: "ul"))
            #expect(created.contains("class=\"article-link\"") && created.contains("Волгоградская область"))
            #expect(page.contains("broken.txt:3:"), "the importer's message names the file and line")
            #expect(!page.contains("copydesk-import-"), "the server's temporary folder is not shown")
            #expect(try await fixture.eventCount() == before + 1, "only the good file was imported")
        }
    }

    @Test("behind TLS the session cookie is Secure")
    func secureCookieBehindTLS() async throws {
        let fixture = try await HTTPFixture()
        try await fixture.setDeskPasswords()
        var configuration = fixture.configuration
        configuration.behindTLS = true
        let application = buildApplication(
            app: fixture.app, configuration: configuration, logger: quietLogger, runScheduler: false)
        try await application.test(.router) { client in
            let response = try await DeskBrowser(client).postForm(
                "/desk/sign-in", ["name": "bob", "password": deskPassword])
            #expect(response.headers[.setCookie]?.contains("; Secure") == true)
        }
    }

    @Test("disabling a user ends their desk sessions at once and refuses their sign-in; enabling lets them back")
    func disabledUserSignedOut() async throws {
        let fixture = try await HTTPFixture()
        try await fixture.setDeskPasswords()
        try await fixture.application().test(.router) { client in
            var erin = DeskBrowser(client)
            try await erin.signIn("erin")
            #expect(try await erin.get("/desk").status == .ok)
            _ = try await fixture.app.users.disable("erin", reason: "on leave", by: .testOperator, origin: .cli)
            let after = try await erin.get("/desk")
            #expect(after.status == .seeOther && after.headers[.location]?.hasPrefix("/desk/sign-in") == true)
            #expect(after.headers[.setCookie]?.contains("Max-Age=0") == true, "the ended session's cookie is forgotten")
            let refused = try await erin.postForm("/desk/sign-in", ["name": "erin", "password": deskPassword])
            #expect(refused.status == .unauthorized && refused.text.contains("Wrong name or password."))
            _ = try await fixture.app.users.enable("erin", reason: nil, by: .testOperator, origin: .cli)
            try await erin.signIn("erin")
            #expect(try await erin.get("/desk").status == .ok)
        }
    }

    @Test("setting a new password ends the user's sessions on every node")
    func newPasswordEndsSessions() async throws {
        let fixture = try await HTTPFixture()
        try await fixture.setDeskPasswords()
        try await fixture.application().test(.router) { client in
            var bob = DeskBrowser(client)
            try await bob.signIn("bob")
            #expect(try await bob.get("/desk").status == .ok)
            try await Passwords(pool: fixture.app.pool, cost: 4).set(name: "bob", password: "a brand new passphrase")
            #expect(try await bob.get("/desk").status == .seeOther)
            try await bob.signIn("bob", password: "a brand new passphrase")
            #expect(try await bob.get("/desk").status == .ok)
        }
    }
}
