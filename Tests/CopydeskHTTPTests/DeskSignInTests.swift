import Copydesk
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@testable import CopydeskDesk
@testable import CopydeskHTTP

/// Signing in and out of the desk: sessions in PostgreSQL, a wrong password said the same way as
/// an unknown name and throttled like a wrong token, safe headers on every page.
@Suite("Desk sign-in", .serialized)
struct DeskSignInTests {
    @Test("a page without a session goes to sign-in; sign-in opens a session; sign-out ends it")
    func signInAndOut() async throws {
        let fixture = try await HTTPFixture()
        try await fixture.setDeskPasswords()
        try await fixture.application().test(.router) { client in
            var browser = DeskBrowser(client)
            let anonymous = try await browser.get("/desk")
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers[.location] == "/desk/sign-in?next=%2Fdesk")
            let root = try await browser.get("/")
            #expect(root.status == .seeOther && root.headers[.location] == "/desk")

            let signIn = try await browser.get("/desk/sign-in")
            #expect(signIn.status == .ok && signIn.text.contains("id=\"sign-in\""))

            let response = try await browser.postForm(
                "/desk/sign-in", ["name": "alice", "password": deskPassword, "next": "/desk?q=x"])
            #expect(response.status == .seeOther && response.headers[.location] == "/desk?q=x")
            let cookie = try #require(response.headers[.setCookie])
            #expect(cookie.hasPrefix("copydesk_session="))
            for attribute in ["HttpOnly", "SameSite=Lax", "Path=/desk"] {
                #expect(cookie.contains(attribute), "\(cookie)")
            }
            #expect(!cookie.contains("Secure"))
            browser.cookie = String(cookie.split(separator: ";")[0])

            let desk = try await browser.get("/desk")
            #expect(desk.status == .ok)
            #expect(desk.text.contains("<span id=\"whoami\">alice (author)</span>"))
            #expect(!desk.text.contains("id=\"nav-audit\""), "authors do not see the audit link")

            // Only the hash of the session id is stored.
            let id = String(cookie.split(separator: ";")[0].dropFirst("copydesk_session=".count))
            let stored = try await fixture.app.pool.withConnection { connection in
                try await connection.query(
                    "SELECT count(*)::int AS n FROM desk_sessions WHERE id_hash::text LIKE $1", ["%\(id)%"]
                )
                .first!.decode("n", as: Int.self)
            }
            #expect(stored == 0)

            let csrf = try await browser.csrf()
            let signOut = try await browser.postForm("/desk/sign-out", ["csrf": csrf])
            #expect(signOut.status == .seeOther && signOut.headers[.location] == "/desk/sign-in")
            #expect(signOut.headers[.setCookie]?.contains("Max-Age=0") == true)
            let after = try await browser.get("/desk")
            #expect(after.status == .seeOther, "the old cookie no longer opens the desk")
        }
    }

    @Test("a new session id at every sign-in, and the old one ends")
    func newSessionAtSignIn() async throws {
        let fixture = try await HTTPFixture()
        try await fixture.setDeskPasswords()
        try await fixture.application().test(.router) { client in
            var browser = DeskBrowser(client)
            try await browser.signIn("bob")
            let first = browser.cookie
            try await browser.signIn("bob")
            #expect(browser.cookie != first)
            var old = DeskBrowser(client)
            old.cookie = first
            #expect(try await old.get("/desk").status == .seeOther)
            #expect(try await browser.get("/desk").status == .ok)
        }
    }

    @Test("a wrong password and an unknown name get the same 401 words; then the address is throttled")
    func wrongPasswordThrottled() async throws {
        let fixture = try await HTTPFixture()
        try await fixture.setDeskPasswords()
        var configuration = fixture.configuration
        configuration.failedAuthenticationBurst = 3
        configuration.failedAuthenticationRefill = .seconds(60)
        let application = buildApplication(
            app: fixture.app, configuration: configuration, logger: quietLogger, runScheduler: false)
        try await application.test(.router) { client in
            let browser = DeskBrowser(client)
            let wrong = try await browser.postForm("/desk/sign-in", ["name": "alice", "password": "not her password"])
            let unknown = try await browser.postForm("/desk/sign-in", ["name": "nobody", "password": deskPassword])
            for response in [wrong, unknown] {
                #expect(response.status == .unauthorized)
                #expect(response.text.contains("<p class=\"flash error\" role=\"alert\">Wrong name or password.</p>"))
                #expect(response.headers[.setCookie] == nil)
            }
            _ = try await browser.postForm("/desk/sign-in", ["name": "alice", "password": "still wrong"])
            let throttled = try await browser.postForm("/desk/sign-in", ["name": "alice", "password": deskPassword])
            #expect(throttled.status == .tooManyRequests, "even the right password waits")
            #expect(throttled.headers[.retryAfter] != nil)
            // The API's tokens share the allowance: a wrong password counts like a wrong token.
            let api = try await client.send(.get, "/articles", token: fixture.token("alice"))
            #expect(api.status == .tooManyRequests)
        }
    }

    @Test("sign-in goes back only to a desk path, never to another site")
    func safeNext() {
        typealias Controller = SignInController<CopydeskRequestContext>
        #expect(Controller.safeNext("/desk/articles/1?x=2") == "/desk/articles/1?x=2")
        for unsafe in ["https://evil.example/", "//evil.example/desk", "/desk\r\nSet-Cookie: x=y", nil, "/articles"] {
            #expect(Controller.safeNext(unsafe) == "/desk", "\(String(describing: unsafe))")
        }
    }

    @Test("every desk response carries the security headers; pages are not cached")
    func securityHeaders() async throws {
        let fixture = try await HTTPFixture()
        try await fixture.setDeskPasswords()
        try await fixture.application().test(.router) { client in
            var browser = DeskBrowser(client)
            let signIn = try await browser.get("/desk/sign-in")
            let redirect = try await browser.get("/desk")
            try await browser.signIn("carol")
            let desk = try await browser.get("/desk")
            let css = try await browser.get("/desk/static/desk.css")
            for response in [signIn, redirect, desk, css] {
                let policy = try #require(response.headers[.contentSecurityPolicy])
                #expect(policy.contains("script-src 'self'") && policy.contains("frame-ancestors 'none'"))
                #expect(!policy.contains("unsafe-inline"))
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin")
                #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
            }
            let missing = try await browser.get("/desk/no/such/page")
            #expect(missing.status == .notFound && missing.text.contains("id=\"error-page\""))
            #expect(missing.headers[.contentType] == "text/html; charset=utf-8")
            #expect(desk.headers[.cacheControl] == "no-store")
            #expect(desk.headers[.contentType] == "text/html; charset=utf-8")
            #expect(desk.text.hasPrefix("<!DOCTYPE html>") && desk.text.contains("<html lang=\"en\">"))
            #expect(!desk.text.contains("<script>"), "no inline script")
        }
    }
}
