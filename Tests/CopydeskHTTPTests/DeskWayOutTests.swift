import Copydesk
import CopydeskHTTP
import Editorial
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The desk offers the new ways out where the domain allows them, and only there.
@Suite("Desk: restore, unschedule and restore this version")
struct DeskWayOutTests {
    @Test("a past version's page offers 'Restore this version' to whoever may edit, and it reverts")
    func restoreThisVersion() async throws {
        let fixture = try await HTTPFixture()
        try await fixture.setDeskPasswords()
        let id = try await DeskPagesTests.draft(fixture, title: "Консул", body: "Асхад сказал.")
        let article = UUID(uuidString: id)!
        _ = try await fixture.app.commands.handle(
            WorkflowCommand(
                article: article, actor: Actor(name: "alice", role: .author),
                action: .edit(ContentChanges(body: "Испорчено."), note: nil), origin: .cli))
        try await fixture.application().test(.router) { client in
            var bob = DeskBrowser(client)
            try await bob.signIn("bob")
            let past = try await bob.get("/desk/articles/\(id)/versions/1").text
            #expect(past.contains("id=\"revert-form\""))
            #expect(past.contains("Restore this version"))
            // The current version has nothing to bring back.
            #expect(!(try await bob.get("/desk/articles/\(id)/versions/2").text.contains("revert-form")))

            let reverted = try await bob.postForm(
                "/desk/articles/\(id)/commands/revert",
                [
                    "csrf": try await bob.csrf(on: "/desk/articles/\(id)/versions/1"), "expected_version": "2",
                    "version": "1", "note": "как было",
                ])
            #expect(reverted.status == .seeOther)
            #expect(try await fixture.app.queries.article(article)?.body == "Асхад сказал.")

            var dave = DeskBrowser(client)
            try await dave.signIn("erin")  // an author, not this article's: may not edit it
            #expect(!(try await dave.get("/desk/articles/\(id)/versions/1").text.contains("revert-form")))
        }
    }

    @Test("an archived article offers Restore to a publisher, nothing to an editor")
    func restoreButton() async throws {
        let fixture = try await HTTPFixture()
        try await fixture.setDeskPasswords()
        let id = try await DeskPagesTests.draft(fixture, title: "В архив", body: "Текст")
        _ = try await fixture.app.commands.handle(
            WorkflowCommand(
                article: UUID(uuidString: id)!, actor: Actor(name: "bob", role: .editor), action: .archive,
                origin: .cli))
        try await fixture.application().test(.router) { client in
            var bob = DeskBrowser(client)
            try await bob.signIn("bob")
            #expect(!(try await bob.get("/desk/articles/\(id)").text.contains("data-command=\"restore\"")))
            var carol = DeskBrowser(client)
            try await carol.signIn("carol")
            let page = try await carol.get("/desk/articles/\(id)").text
            #expect(page.contains("data-command=\"restore\""))
            let restored = try await carol.postForm(
                "/desk/articles/\(id)/commands/restore",
                ["csrf": try await carol.csrf(on: "/desk/articles/\(id)"), "expected_version": "2", "note": "нужна"])
            #expect(restored.status == .seeOther)
            #expect(try await carol.get("/desk/articles/\(id)?done=restore").text.contains("Restored."))
            #expect(try await fixture.app.queries.article(UUID(uuidString: id)!)?.state == "draft")
        }
    }
}
