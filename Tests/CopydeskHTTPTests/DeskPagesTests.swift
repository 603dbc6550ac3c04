import Copydesk
import CopydeskHTTP
import Editorial
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// The desk's pages on the same command service as the API: forms need the session's CSRF token,
/// article text is always escaped, a conflicting edit keeps what was typed, refusals are the
/// domain's words, and "your turn" is what the domain lets each user do next.
@Suite("Desk pages")
struct DeskPagesTests {
    @Test("a POST without the session's CSRF token is refused with 403 and writes nothing")
    func csrfRequired() async throws {
        let fixture = try await HTTPFixture()
        try await fixture.setDeskPasswords()
        try await fixture.application().test(.router) { client in
            var browser = DeskBrowser(client)
            try await browser.signIn("alice")
            let before = try await fixture.eventCount()
            let fields = ["title": "Harbour reopens", "lead": "", "body": "", "section": "City", "tags": ""]
            let missing = try await browser.postForm("/desk/articles", fields)
            var forged = fields
            forged["csrf"] = String(repeating: "0", count: 64)
            let wrong = try await browser.postForm("/desk/articles", forged)
            for response in [missing, wrong] {
                #expect(response.status == .forbidden)
                #expect(response.text.contains("id=\"csrf-refused\""))
            }
            #expect(try await fixture.eventCount() == before, "nothing was written")
            // The sign-out form needs it too: without it the session stays.
            #expect(try await browser.postForm("/desk/sign-out", [:]).status == .forbidden)
            #expect(try await browser.get("/desk").status == .ok)

            forged["csrf"] = try await browser.csrf(on: "/desk/articles/new")
            let created = try await browser.postForm("/desk/articles", forged)
            #expect(created.status == .seeOther)
            #expect(try await fixture.eventCount() == before + 1)
        }
    }

    @Test("a title holding markup is shown as text on every page")
    func scriptInTitleEscaped() async throws {
        let fixture = try await HTTPFixture()
        try await fixture.setDeskPasswords()
        let title = "<script>alert(1)</script><img src=x onerror=alert(2)>"
        let id = try await Self.draft(fixture, title: title, body: "Text \"quoted\" & 'single'")
        try await fixture.application().test(.router) { client in
            var browser = DeskBrowser(client)
            try await browser.signIn("alice")
            for page in ["/desk", "/desk/articles/\(id)", "/desk/articles/\(id)/edit", "/desk/articles/\(id)/history"] {
                let text = try await browser.get(page).text
                #expect(!text.contains("<script>alert"), "\(page) shows the title as markup")
                #expect(!text.contains("<img src=x"), "\(page)")
                #expect(
                    text.contains("&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;"), "\(page)")
            }
            let article = try await browser.get("/desk/articles/\(id)").text
            #expect(article.contains("Text &quot;quoted&quot; &amp; &#39;single&#39;"))
        }
    }

    @Test("an edit that conflicts keeps what was typed, shows what is there now and what changed")
    func editConflictKeepsText() async throws {
        let fixture = try await HTTPFixture()
        try await fixture.setDeskPasswords()
        let id = try await Self.draft(fixture, title: "Harbour reopens", body: "The consul Асхад spoke.")
        try await fixture.application().test(.router) { client in
            var alice = DeskBrowser(client)
            try await alice.signIn("alice")
            let form = try await alice.get("/desk/articles/\(id)/edit").text
            #expect(form.contains("id=\"edit-article\"") && form.contains("name=\"expected_version\" value=\"1\""))
            let csrf = try await alice.csrf(on: "/desk/articles/\(id)/edit")

            // Meanwhile an editor changes the body.
            var bob = DeskBrowser(client)
            try await bob.signIn("bob")
            let bobs = try await bob.postForm(
                "/desk/articles/\(id)/edit",
                [
                    "csrf": try await bob.csrf(), "expected_version": "1", "title": "Harbour reopens",
                    "body": "The consul Асхат spoke.", "lead": "Bob's lead", "section": "", "tags": "",
                ])
            #expect(bobs.status == .seeOther)

            let mine = "The consul Асхад spoke at length.\r\n\r\nMy second paragraph."
            let fields = [
                "csrf": csrf, "expected_version": "1", "title": "Harbour reopens today", "body": mine,
                "lead": "", "section": "", "tags": "",
            ]
            let conflict = try await alice.postForm("/desk/articles/\(id)/edit", fields)
            #expect(conflict.status == .conflict)
            let page = conflict.text
            for part in ["id=\"conflict\"", "id=\"yours\"", "id=\"theirs\"", "id=\"meanwhile\"", "id=\"apply-mine\""] {
                #expect(page.contains(part), "\(part)")
            }
            let yours = try #require(page.element(id: "yours", tag: "section"))
            #expect(
                yours.contains("The consul Асхад spoke at length.\n\nMy second paragraph."), "the typed text is kept")
            #expect(yours.contains("value=\"Harbour reopens today\""))
            #expect(yours.contains("name=\"expected_version\" value=\"2\""), "applying mine goes on top of now")
            #expect(yours.contains("name=\"base_version\" value=\"1\""), "still based on the version opened")
            #expect(try #require(page.element(id: "theirs", tag: "section")).contains("Асхат"))
            // Everything after the heading: the section holds one section per changed field.
            let heading = try #require(page.range(of: "id=\"meanwhile\""))
            let meanwhile = String(page[heading.upperBound...])
            #expect(meanwhile.contains("data-field=\"lead\"") && meanwhile.contains("data-field=\"body\""))
            #expect(meanwhile.contains("<del>") && meanwhile.contains("<ins>"))
            #expect(try await fixture.app.queries.article(UUID(uuidString: id)!)?.version == 2, "nothing was written")

            // Applying mine on top: what alice changed (title, body) wins; the lead, which only bob
            // changed, keeps his text.
            var again = fields
            again["expected_version"] = "2"
            again["base_version"] = "1"
            #expect(try await alice.postForm("/desk/articles/\(id)/edit", again).status == .seeOther)
            let merged = try #require(try await fixture.app.queries.article(UUID(uuidString: id)!))
            #expect(merged.body == "The consul Асхад spoke at length.\n\nMy second paragraph.")
            #expect(merged.title == "Harbour reopens today")
            #expect(merged.lead == "Bob's lead", "a field alice never touched keeps bob's change")
        }
    }

    @Test("the article page offers the domain's allowed commands and shows a refusal in its words")
    func actionsAndRefusals() async throws {
        let fixture = try await HTTPFixture()
        try await fixture.setDeskPasswords()
        let id = try await Self.draft(fixture, title: "Harbour reopens", body: "Body")
        try await fixture.application().test(.router) { client in
            var alice = DeskBrowser(client)
            try await alice.signIn("alice")
            let page = try await alice.get("/desk/articles/\(id)").text
            #expect(page.contains("data-command=\"submit\"") && page.contains("data-command=\"comment\""))
            #expect(!page.contains("data-command=\"approve\""), "an author cannot approve")
            let submitted = try await alice.postForm(
                "/desk/articles/\(id)/commands/submit", ["csrf": try await alice.csrf(), "expected_version": "1"])
            #expect(submitted.status == .seeOther)

            var bob = DeskBrowser(client)
            try await bob.signIn("bob")
            let csrf = try await bob.csrf()
            let edited = try await bob.postForm(
                "/desk/articles/\(id)/edit",
                [
                    "csrf": csrf, "expected_version": "2", "title": "Harbour reopens", "body": "Body, edited",
                    "lead": "",
                    "section": "", "tags": "",
                ])
            #expect(edited.status == .seeOther)
            // Four-eyes: bob edited this revision. The page does not offer approve; sent anyway, the
            // domain refuses it and the page says so in the domain's words.
            #expect(!(try await bob.get("/desk/articles/\(id)").text.contains("data-command=\"approve\"")))
            let refused = try await bob.postForm(
                "/desk/articles/\(id)/commands/approve", ["csrf": csrf, "expected_version": "3"])
            #expect(refused.status == .forbidden)
            #expect(refused.text.contains("another editor must approve it (four-eyes)"))
            #expect(refused.text.contains("class=\"flash error\""))
            // From a page opened before his edit (version 2): not a stale-page conflict but the reason
            // retrying would not help either.
            let stale = try await bob.postForm(
                "/desk/articles/\(id)/commands/approve", ["csrf": csrf, "expected_version": "2"])
            #expect(stale.status == .forbidden)
            #expect(stale.text.contains("(four-eyes)"))

            let reasonless = try await bob.postForm(
                "/desk/articles/\(id)/commands/request-changes", ["csrf": csrf, "expected_version": "3", "reason": " "])
            #expect(reasonless.status == .unprocessableContent)
        }
    }

    @Test("your turn: an author's drafts, an editor's reviews of others' work, a publisher's approved articles")
    func yourTurn() async throws {
        let fixture = try await HTTPFixture()
        try await fixture.setDeskPasswords()
        let draft = try await Self.draft(fixture, title: "Still a draft", body: "Body")
        let reviewed = try await Self.draft(fixture, title: "Waiting for review", body: "Body")
        let approved = try await Self.draft(fixture, title: "Ready to publish", body: "Body")
        let commands = fixture.app.commands
        let alice = Actor(name: "alice", role: .author)
        for id in [reviewed, approved] {
            _ = try await commands.handle(
                .init(article: UUID(uuidString: id)!, actor: alice, action: .submit, origin: .cli))
        }
        _ = try await commands.handle(
            .init(
                article: UUID(uuidString: approved)!, actor: Actor(name: "dave", role: .editor),
                action: .approve(note: nil), origin: .cli))
        // bob edits the one in review: it is no longer his to approve (four-eyes), but dave's.
        _ = try await commands.handle(
            .init(
                article: UUID(uuidString: reviewed)!, actor: Actor(name: "bob", role: .editor),
                action: .edit(ContentChanges(body: "Body, edited"), note: nil), origin: .cli))

        try await fixture.application().test(.router) { client in
            func yourTurn(_ name: String) async throws -> String {
                var browser = DeskBrowser(client)
                try await browser.signIn(name)
                return try #require(try await browser.get("/desk").text.element(id: "your-turn", tag: "ul"))
            }
            let authors = try await yourTurn("alice")
            #expect(
                authors.contains("data-article-id=\"\(draft)\"") && !authors.contains(reviewed)
                    && !authors.contains(approved))
            #expect(
                try await yourTurn("erin").contains("data-article-id") == false,
                "another author's drafts are not erin's turn")
            #expect(
                try await yourTurn("bob").contains("data-article-id") == false, "bob edited it: another editor approves"
            )
            let daves = try await yourTurn("dave")
            #expect(
                daves.contains("data-article-id=\"\(reviewed)\"") && !daves.contains(draft) && !daves.contains(approved)
            )
            let carols = try await yourTurn("carol")
            #expect(carols.contains("data-article-id=\"\(approved)\"") && !carols.contains(draft))
            #expect(carols.contains("class=\"article-link\""))
            #expect(!carols.contains("· ·"), "no empty section between the separators")
        }
    }

    @Test("a published article shows the live text beside its pending revision, with the difference")
    func liveTextAndPendingRevision() async throws {
        let fixture = try await HTTPFixture()
        try await fixture.setDeskPasswords()
        let id = try await Self.draft(fixture, title: "Harbour reopens", body: "The consul Асхад spoke.")
        let article = UUID(uuidString: id)!
        let steps: [(String, Role, ArticleCommand.Action)] = [
            ("alice", .author, .submit), ("bob", .editor, .approve(note: nil)),
            ("carol", .publisher, .publish(at: nil)),
        ]
        for (name, role, action) in steps {
            _ = try await fixture.app.commands.handle(
                .init(article: article, actor: Actor(name: name, role: role), action: action, origin: .cli))
        }
        try await fixture.application().test(.router) { client in
            var bob = DeskBrowser(client)
            try await bob.signIn("bob")
            let published = try await bob.get("/desk/articles/\(id)").text
            #expect(published.contains("id=\"live-since\""))
            #expect(!published.contains("id=\"live-text\""), "nothing pending: the text shown is the live text")
            _ = try await fixture.app.commands.handle(
                .init(
                    article: article, actor: Actor(name: "bob", role: .editor),
                    action: .edit(ContentChanges(body: "The consul Асхат spoke."), note: nil), origin: .cli))
            let pending = try await bob.get("/desk/articles/\(id)").text
            let live = try #require(pending.element(id: "live-text", tag: "section"))
            #expect(live.contains("Асхад"))
            let diff = try #require(pending.element(id: "pending-diff", tag: "section"))
            #expect(diff.contains("<del><span class=\"visually-hidden\">[-</span>Асхад"))
            #expect(diff.contains("<ins><span class=\"visually-hidden\">[+</span>Асхат"))
            #expect(try #require(pending.element(id: "article-body", tag: "div")).contains("Асхат"))
        }
    }

    @Test("the audit page follows the read policy: editors and above")
    func auditForEditors() async throws {
        let fixture = try await HTTPFixture()
        try await fixture.setDeskPasswords()
        _ = try await Self.draft(fixture, title: "Harbour reopens", body: "Body")
        try await fixture.application().test(.router) { client in
            var alice = DeskBrowser(client)
            try await alice.signIn("alice")
            #expect(try await alice.get("/desk/audit").status == .forbidden)
            #expect(try await alice.get("/desk/audit/download?format=csv").status == .forbidden)
            var bob = DeskBrowser(client)
            try await bob.signIn("bob")
            let page = try await bob.get("/desk/audit")
            #expect(
                page.status == .ok && page.text.contains("id=\"audit-table\"")
                    && page.text.contains("id=\"download-csv\""))
            let csv = try await bob.get("/desk/audit/download?format=csv")
            #expect(csv.text.hasPrefix(AuditRecord.csvHeader))
        }
    }

    /// Drafts an article as alice through the command service; returns its id.
    static func draft(_ fixture: HTTPFixture, title: String, body: String) async throws -> String {
        let id = UUID()
        _ = try await fixture.app.commands.handle(
            WorkflowCommand(
                article: id, actor: Actor(name: "alice", role: .author),
                action: .draft(id: id, content: ArticleContent(title: title, body: body), originalDate: nil),
                origin: .cli))
        return id.lowercased
    }
}

/// Times on the desk: scheduling takes the time in the reader's zone and shows it back in that
/// zone and in UTC.
@Suite("Desk times")
struct DeskTimesTests {
    @Test("a publish time typed in Europe/Moscow is scheduled for the right instant and shown in both zones")
    func scheduleInReadersZone() async throws {
        let fixture = try await HTTPFixture()
        try await fixture.setDeskPasswords()
        let id = try await DeskPagesTests.draft(fixture, title: "Паром снова ходит", body: "Текст")
        let article = UUID(uuidString: id)!
        _ = try await fixture.app.commands.handle(
            .init(article: article, actor: Actor(name: "alice", role: .author), action: .submit, origin: .cli))
        _ = try await fixture.app.commands.handle(
            .init(article: article, actor: Actor(name: "bob", role: .editor), action: .approve(note: nil), origin: .cli)
        )
        try await fixture.application().test(.router) { client in
            var carol = DeskBrowser(client)
            try await carol.signIn("carol")
            let page = try await carol.get("/desk/articles/\(id)").text
            #expect(page.contains("data-command=\"publish\"") && page.contains("type=\"datetime-local\""))
            let response = try await carol.postForm(
                "/desk/articles/\(id)/commands/publish",
                [
                    "csrf": try await carol.csrf(), "expected_version": "3", "at": "2031-01-15T10:30",
                    "zone": "Europe/Moscow",
                ])
            #expect(response.status == .seeOther)
            let scheduled = try await fixture.app.queries.article(article)
            #expect(scheduled?.state == "scheduled")
            #expect(scheduled?.scheduledFor == ISO8601.date(from: "2031-01-15T07:30:00Z"))

            carol.cookie = (carol.cookie ?? "") + "; copydesk_zone=Europe%2FMoscow"
            let shown = try await carol.get("/desk/articles/\(id)").text
            #expect(shown.contains("2031-01-15 10:30"), "in the reader's zone")
            #expect(shown.contains("2031-01-15 07:30 UTC"), "and in UTC")

            let nonsense = try await carol.postForm(
                "/desk/articles/\(id)/commands/unschedule",
                ["csrf": try await carol.csrf(), "expected_version": "1", "note": "Legal hold"])
            #expect(nonsense.status == .conflict, "a stale version is a conflict, said on the page")
            #expect(nonsense.text.contains("Someone changed this article while you had it open"))
        }
    }

    @Test("the desk feed says which article moved, never its text, and needs a session")
    func feedCarriesNoText() async throws {
        let fixture = try await HTTPFixture(feedPollInterval: .milliseconds(200))
        try await fixture.setDeskPasswords()
        try await fixture.application().test(.live) { client in
            let port = try #require(client.port)
            var browser = DeskBrowser(client)
            #expect(try await browser.get("/desk/feed").status == .seeOther, "no session, no feed")
            try await browser.signIn("alice")
            let cookie = try #require(browser.cookie)
            // Two pages open: both hear of the draft made after they opened (through one follower).
            let feeds = try (0..<2).map { _ in
                try SSEClient(port: port, path: "/desk/feed", headers: ["Cookie": cookie])
            }
            defer { feeds.forEach { $0.close() } }
            for feed in feeds {
                try await feed.waitForHead(timeout: .seconds(10))
                #expect(feed.status == 200)
            }
            try await Task.sleep(for: .milliseconds(500))  // the follower starts from the log's head
            let id = try await DeskPagesTests.draft(fixture, title: "Secret title", body: "Secret body")
            for feed in feeds {
                let event = try #require(try await feed.nextEvent(timeout: .seconds(15)), "the draft never arrived")
                let data = try #require(try JSONSerialization.jsonObject(with: Data(event.data.utf8)) as? [String: Any])
                #expect(Set(data.keys) == ["position", "article", "version", "type"])
                #expect(data["article"] as? String == id && data["version"] as? Int == 1)
                #expect(data["type"] as? String == "ArticleDrafted")
                #expect(!event.data.contains("Secret"))
            }
        }
    }
}
