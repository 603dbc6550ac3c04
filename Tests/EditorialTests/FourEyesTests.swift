import Editorial
import Foundation
import Testing

@Suite("Four-eyes approval")
struct FourEyesTests {
    typealias F = Fixture

    /// alice drafts, bob (editor) edits, alice submits.
    static func reviewedAfterBobsEdit() throws -> [ArticleEvent] {
        try history(
            [F.drafted],
            then: [
                F.command(F.bob, .edit(ContentChanges(lead: "Лид от Боба."), note: "сократил"), at: F.minute(1)),
                F.command(F.alice, .submit, at: F.minute(2)),
            ])
    }

    @Test("an editor who edited the revision cannot approve it; an untouched editor can")
    func editorWhoEditedCannotApprove() throws {
        let given = try Self.reviewedAfterBobsEdit()
        #expect(ArticleDecider.fold(given)?.contributors == ["alice", "bob"])

        let refused = try #require(when(F.command(F.bob, .approve(note: nil)), given: given).failure)
        #expect(refused.reason == .fourEyes)
        #expect(refused.status == .inReview)
        #expect(!refused.allowed.contains(.approve))
        #expect(refused.allowed.contains(.requestChanges))

        #expect(
            outcome(of: F.command(F.carol, .approve(note: "ок")), given: given)
                == .events([
                    .approved(ArticleApproved(note: "ок", by: "carol", at: F.now))
                ]))
    }

    @Test("the author cannot approve their own article even as an editor or admin")
    func authorWithHigherRole() throws {
        let given = try history(
            [],
            then: [
                F.command(Actor(name: "ada", role: .admin), .draft(id: F.id, content: F.content, originalDate: nil)),
                F.command(F.ada, .submit),
            ])
        #expect(outcome(of: F.command(F.ada, .approve(note: nil)), given: given) == .refused(.fourEyes))
        #expect(outcome(of: F.command(F.pat, .approve(note: nil)), given: given) != .refused(.fourEyes))
    }

    @Test("an editor who only reviewed (requested changes, commented) may still approve")
    func reviewingIsNotWriting() throws {
        let given = try history(
            F.history(.changesRequested),
            then: [
                F.command(F.erin, .comment(text: "Жду правок")),
                F.command(F.alice, .edit(ContentChanges(body: "Исправлено"), note: nil)),
                F.command(F.alice, .submit),
            ])
        guard case .events = outcome(of: F.command(F.erin, .approve(note: nil)), given: given) else {
            Issue.record("erin only reviewed and should be able to approve")
            return
        }
    }

    @Test("after publication the next revision starts with only the author as contributor")
    func contributorsResetAfterPublication() throws {
        let published = try history(
            try Self.reviewedAfterBobsEdit(),
            then: [
                F.command(F.carol, .approve(note: nil)),
                F.command(F.pat, .publish(at: nil)),
            ])
        #expect(ArticleDecider.fold(published)?.contributors == ["alice"])

        // bob did not touch the new revision, so he may approve it now; carol edited it, so she may not.
        let revised = try history(
            published,
            then: [
                F.command(F.carol, .edit(ContentChanges(body: "Обновлено"), note: nil)),
                F.command(F.alice, .submit),
            ])
        #expect(ArticleDecider.fold(revised)?.contributors == ["alice", "carol"])
        #expect(outcome(of: F.command(F.carol, .approve(note: nil)), given: revised) == .refused(.fourEyes))
        guard case .events = outcome(of: F.command(F.bob, .approve(note: nil)), given: revised) else {
            Issue.record("bob did not write the new revision and should be able to approve it")
            return
        }
    }
}
