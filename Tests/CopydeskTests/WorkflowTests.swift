import Copydesk
import Editorial
import EventStore
import Foundation
import Postgres
import Testing
import Timestamps

@Suite("The workflow through the command service, on a real database")
struct WorkflowTests {
    @Test("the seed article: import, fix the consul's name, submit, approve, publish; history names each actor")
    func seedArticleWorkflow() async throws {
        let fixture = try await WorkflowFixture()
        let outcomes = try await fixture.app.importer.importFiles([WorkflowFixture.seedFile], as: fixture.alice)
        let id = try #require(try outcomes.first?.result.get())
        let imported = try #require(try await fixture.app.queries.article(id))
        #expect(imported.state == "draft")
        #expect(imported.originalDate == "2014-05-11")
        #expect(imported.section == "Политика")
        #expect(imported.body.contains("Асхад Сыздыков"))

        let fixedBody = imported.body.replacingOccurrences(of: "Асхад", with: "Асхат")
        try await fixture.run(.edit(ContentChanges(body: fixedBody), note: "one spelling of the consul's name"), on: id, as: fixture.alice)
        try await fixture.run(.submit, on: id, as: fixture.alice)
        try await fixture.run(.approve(note: nil), on: id, as: fixture.bob)
        try await fixture.run(.publish(at: nil), on: id, as: fixture.carol)

        let article = try #require(try await fixture.app.queries.article(id))
        #expect(article.state == "published")
        let live = try #require(article.live)
        #expect(live.body == fixedBody)
        #expect(live.title == imported.title && live.lead == imported.lead)
        #expect(!live.body.contains("Асхад"))
        #expect(article.pendingRevision == false)

        let history = try await fixture.app.queries.history(id)
        #expect(history.map(\.action) == ["draft", "edit", "submit", "approve", "publish"])
        #expect(history.map(\.actor) == ["alice", "alice", "alice", "bob", "carol"])
        #expect(history[1].changed == ["body"] && history[1].note == "one spelling of the consul's name")
        #expect(history.allSatisfy { $0.origin == "cli" })
    }

    @Test("refused commands write no event and say why, with the state and what is allowed")
    func refusalsWriteNothing() async throws {
        let fixture = try await WorkflowFixture()
        let id = try await fixture.draft(ArticleContent(title: "Budget vote"))
        let before = try await fixture.eventCount()

        let attempts: [(ArticleCommand.Action, Actor)] = [
            (.publish(at: nil), fixture.carol),  // a draft cannot be published
            (.approve(note: nil), fixture.alice),  // alice may not approve (role, and it is hers)
        ]
        for (action, actor) in attempts {
            let error = await #expect(throws: WorkflowError.self) { try await fixture.run(action, on: id, as: actor) }
            guard case .refused(let refusal) = error else { Issue.record("expected a refusal, got \(String(describing: error))"); continue }
            #expect(refusal.description.contains("draft"))
            #expect(!refusal.description.contains("\n"))
        }
        try await fixture.run(.submit, on: id, as: fixture.alice)
        let submitted = try await fixture.eventCount()
        #expect(submitted == before + 1)

        for (action, actor) in [(ArticleCommand.Action.requestChanges(reason: "  "), fixture.bob),
                                (.approve(note: nil), fixture.alice)] {
            await #expect(throws: WorkflowError.self) { try await fixture.run(action, on: id, as: actor) }
        }
        try await fixture.run(.approve(note: nil), on: id, as: fixture.bob)
        let error = await #expect(throws: WorkflowError.self) { try await fixture.run(.publish(at: nil), on: id, as: fixture.bob) }
        if case .refused(let refusal) = error { #expect(refusal.reason == .roleTooLow) } else { Issue.record("not refused") }
        #expect(try await fixture.eventCount() == submitted + 1)
        #expect(try await fixture.app.queries.history(id).count == 3)
    }

    @Test("four-eyes: an editor who edited the revision cannot approve it; another editor can")
    func fourEyes() async throws {
        let fixture = try await WorkflowFixture()
        let id = try await fixture.draft(ArticleContent(title: "Harbour", body: "First text."))
        try await fixture.run(.submit, on: id, as: fixture.alice)
        try await fixture.run(.edit(ContentChanges(body: "Tightened text."), note: nil), on: id, as: fixture.bob)
        let error = await #expect(throws: WorkflowError.self) { try await fixture.run(.approve(note: nil), on: id, as: fixture.bob) }
        if case .refused(let refusal) = error { #expect(refusal.reason == .fourEyes) } else { Issue.record("not refused") }
        try await fixture.run(.approve(note: "fine"), on: id, as: fixture.dave)
        #expect(try await fixture.app.queries.article(id)?.state == "approved")
    }

    @Test("editing a published article keeps the live text until the revision is published")
    func pendingRevision() async throws {
        let fixture = try await WorkflowFixture()
        let id = try await fixture.published(ArticleContent(title: "Old title", lead: "Lead", body: "Live body"))
        try await fixture.run(.edit(ContentChanges(body: "Revised body"), note: "update"), on: id, as: fixture.alice)

        var article = try #require(try await fixture.app.queries.article(id))
        #expect(article.state == "published")
        #expect(article.pendingRevision)
        #expect(article.live?.body == "Live body")
        #expect(article.body == "Revised body")

        try await fixture.run(.submit, on: id, as: fixture.alice)
        try await fixture.run(.approve(note: nil), on: id, as: fixture.bob)
        article = try #require(try await fixture.app.queries.article(id))
        #expect(article.live?.body == "Live body")
        try await fixture.run(.publish(at: nil), on: id, as: fixture.carol)
        article = try #require(try await fixture.app.queries.article(id))
        #expect(article.live?.body == "Revised body")
        #expect(!article.pendingRevision)
    }

    @Test("two edits naming the same expected version: the second is a conflict and writes nothing")
    func expectedVersionConflict() async throws {
        let fixture = try await WorkflowFixture()
        let id = try await fixture.draft(ArticleContent(title: "Draft"))
        let version = try #require(try await fixture.app.queries.article(id)).version
        try await fixture.run(.edit(ContentChanges(title: "First"), note: nil), on: id, as: fixture.alice, expectedVersion: version)
        let before = try await fixture.eventCount()
        let error = await #expect(throws: WorkflowError.self) {
            try await fixture.run(.edit(ContentChanges(title: "Second"), note: nil), on: id, as: fixture.alice, expectedVersion: version)
        }
        #expect(error == .conflict(article: id, expected: version, actual: version + 1))
        #expect(try await fixture.eventCount() == before)
        #expect(try await fixture.app.queries.article(id)?.title == "First")
    }

    @Test("concurrent commands without an expected version all land, one after another")
    func concurrentRetries() async throws {
        let fixture = try await WorkflowFixture()
        let id = try await fixture.draft(ArticleContent(title: "Busy"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<8 {
                group.addTask { try await fixture.run(.comment(text: "note \(index)"), on: id, as: fixture.bob) }
            }
            try await group.waitForAll()
        }
        let history = try await fixture.app.queries.history(id)
        #expect(history.count == 9)
        #expect(history.map(\.version) == Array(1...9))
        #expect(try await fixture.app.queries.article(id)?.version == 9)
    }

    @Test("a repeated command id writes nothing and reports the article as it is")
    func idempotentCommand() async throws {
        let fixture = try await WorkflowFixture()
        let id = try await fixture.draft(ArticleContent(title: "Once"))
        let command = UUID()
        let first = try await fixture.run(.submit, on: id, as: fixture.alice, commandId: command)
        let again = try await fixture.run(.submit, on: id, as: fixture.alice, commandId: command)
        #expect(!first.wasDuplicate && again.wasDuplicate)
        #expect(again.article.version == first.article.version)
        #expect(try await fixture.eventCount() == 2)
    }

    @Test("commands on an unknown article are 'not found', and nothing is written")
    func unknownArticle() async throws {
        let fixture = try await WorkflowFixture()
        let missing = UUID()
        let error = await #expect(throws: WorkflowError.self) { try await fixture.run(.submit, on: missing, as: fixture.alice) }
        #expect(error == .articleNotFound(missing))
        #expect(try await fixture.eventCount() == 0)
    }

    @Test("Cyrillic, quotes, emoji and a 1 MB body survive a round trip unchanged")
    func textRoundTrip() async throws {
        let fixture = try await WorkflowFixture()
        let paragraph = "Консул «Асхат» said \"hello\" — it's 🗞️🇰🇿 \\ \t tab\n"
        let body = String(repeating: paragraph, count: 1_048_576 / paragraph.utf8.count + 1)
        #expect(body.utf8.count > 1_048_576)
        let content = ArticleContent(title: "Заголовок «в кавычках» 🎉", lead: "Лид: \"quoted\" 'single'", body: body,
                                     section: "Политика", tags: ["выборы", "a,b", "\"q\""])
        let id = try await fixture.published(content)
        let article = try #require(try await fixture.app.queries.article(id))
        #expect(article.title == content.title && article.lead == content.lead)
        #expect(article.body == body)
        #expect(article.tags == content.tags)
        #expect(article.live?.body == body)
    }

    @Test("list filters by state, author and section, and searches Russian and English text")
    func listAndSearch() async throws {
        let fixture = try await WorkflowFixture()
        let russian = try await fixture.published(ArticleContent(
            title: "Встреча с консулом", body: "Губернатор провёл встречу с консулами Казахстана.", section: "Политика"))
        let english = try await fixture.draft(ArticleContent(
            title: "Harbour works", body: "The harbours were rebuilt after the storms.", section: "City"), as: fixture.bob)

        let published = try await fixture.app.queries.list(ArticleFilter(state: "published"))
        #expect(published.map(\.id) == [russian])
        #expect(try await fixture.app.queries.list(ArticleFilter(author: "bob")).map(\.id) == [english])
        #expect(try await fixture.app.queries.list(ArticleFilter(section: "City")).map(\.id) == [english])
        // Stemming: other word forms find the article.
        #expect(try await fixture.app.queries.list(ArticleFilter(search: "консул")).map(\.id) == [russian])
        #expect(try await fixture.app.queries.list(ArticleFilter(search: "казахстан встреча")).map(\.id) == [russian])
        #expect(try await fixture.app.queries.list(ArticleFilter(search: "harbour storm")).map(\.id) == [english])
        #expect(try await fixture.app.queries.list(ArticleFilter(search: "nothing-like-this")).isEmpty)
        #expect(try await fixture.app.queries.list(ArticleFilter(limit: 1)).count == 1)
    }

    @Test("a body too long to index whole is kept whole and found by its beginning")
    func hugeBody() async throws {
        let fixture = try await WorkflowFixture()
        // Near a million characters of distinct words (the body's limit): past the 1 MB a search vector may hold.
        // Titles are bounded far below their search cap now (sql/010 still caps those of older events).
        let body = "Lighthouse " + (0..<120_000).map { "w\($0)x" }.joined(separator: " ")
        #expect(body.unicodeScalars.count <= InputLimit.body.maximum)
        let id = try await fixture.draft(ArticleContent(title: "Huge", body: body))
        #expect(try await fixture.app.queries.article(id)?.body == body)
        #expect(try await fixture.app.queries.list(ArticleFilter(search: "lighthouse")).map(\.id) == [id])
        let (_, differences) = try await ProjectionRebuild(conninfo: fixture.database.ownerConninfo).verify()
        #expect(differences == [])
    }

    @Test("search follows edits, is untouched by other commands, and survives a replay")
    func searchFollowsText() async throws {
        let fixture = try await WorkflowFixture()
        let id = try await fixture.draft(ArticleContent(title: "Harbour works", body: "The harbours were rebuilt."))
        func found(_ words: String) async throws -> Bool {
            try await fixture.app.queries.list(ArticleFilter(search: words)).map(\.id) == [id]
        }
        #expect(try await found("harbour"))
        try await fixture.run(.edit(ContentChanges(body: "Паромы вернулись в гавань."), note: nil), on: id, as: fixture.alice)
        #expect(try await found("паром"))
        #expect(try await !found("rebuilt"))
        #expect(try await found("harbour"))  // still in the title
        // Commands that leave the text alone leave its search row alone: same row version.
        let owner = try await Connection.connect(to: fixture.database.ownerConninfo)
        let searchRowVersion = "SELECT xmin::text FROM article_search WHERE article_id = $1"
        let beforeComment: String = try await owner.query(searchRowVersion, [id]).first!.decode(0)
        try await fixture.run(.comment(text: "lighthouse"), on: id, as: fixture.bob)
        try await fixture.run(.submit, on: id, as: fixture.alice)
        #expect(try await owner.query(searchRowVersion, [id]).first!.decode(0, as: String.self) == beforeComment)
        #expect(try await found("паром"))
        #expect(try await !found("lighthouse"))  // comments are not the article's text

        _ = try await ProjectionRebuild(conninfo: fixture.database.ownerConninfo).replay()
        #expect(try await found("паром"))
        #expect(try await found("harbour"))
        try await fixture.run(.edit(ContentChanges(title: "Ferries return"), note: nil), on: id, as: fixture.bob)
        #expect(try await found("ferry"))
        #expect(try await !found("harbour"))
    }
}

@Suite("Commands decide on the article's projection row plus the events after it")
struct CommandStateTests {
    @Test("an event the projection has not seen still counts: the command folds it onto the row")
    func eventsAfterTheRowAreFolded() async throws {
        let fixture = try await WorkflowFixture()
        let id = try await fixture.draft(ArticleContent(title: "Behind", body: "Text"))
        // Appended straight to the store, as a writer that updates no projection would.
        let submitted = ArticleStream.newEvents([.submitted(ArticleSubmitted(by: "alice", at: Date.now.truncatedToMilliseconds))])
        _ = try await fixture.app.commands.store.append(AppendRequest(
            stream: ArticleStream.name(for: id), expectedVersion: .exactly(1), events: submitted,
            metadata: EventMetadata(actor: "alice", commandId: UUID(), origin: .cli)))
        #expect(try await fixture.app.queries.article(id)?.state == "draft")

        // In review (per the events), so alice, who wrote it, may not approve it, and bob may.
        await #expect(throws: WorkflowError.self) { try await fixture.run(.approve(note: nil), on: id, as: fixture.alice) }
        let approved = try await fixture.run(.approve(note: nil), on: id, as: fixture.bob)
        #expect(approved.article.status == .approved)
        #expect(approved.article.version == 3)
        let row = try #require(try await fixture.app.queries.article(id))
        #expect(row.state == "approved")
        #expect(row.version == 3)
    }
}

extension CommandStateTests {
    @Test("a command id that another article's command commits first, mid-flight, writes nothing here, projections included")
    func duplicateCommandMidFlight() async throws {
        let fixture = try await WorkflowFixture()
        let first = try await fixture.draft(ArticleContent(title: "First"))
        let second = try await fixture.draft(ArticleContent(title: "Second"))
        let shared = UUID()
        let owner = try await Connection.connect(to: fixture.database.ownerConninfo)
        let store = fixture.app.commands.store

        // The first article's append claims the command id and stays uncommitted...
        let comment = ArticleStream.newEvents([.commented(CommentAdded(text: "first", by: "bob", at: Date.now.truncatedToMilliseconds))])
        try await owner.executeScript("BEGIN")
        _ = try await owner.perform { owner in
            try store.append(
                AppendRequest(
                    stream: ArticleStream.name(for: first), expectedVersion: .exactly(1), events: comment,
                    metadata: EventMetadata(actor: "bob", commandId: shared, origin: .cli)),
                on: owner)
        }
        // ...while a command on the second article with the same id gets as far as its own append.
        let racing = Task {
            try await fixture.run(.edit(ContentChanges(body: "Rewritten"), note: nil), on: second, as: fixture.alice, commandId: shared)
        }
        let watcher = try await Connection.connect(to: fixture.database.ownerConninfo)
        while try await watcher.query(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        ).first!.decode(0, as: Int.self) == 0 {
            await Task.yield()
        }
        try await owner.executeScript("COMMIT")

        let outcome = try await racing.value
        #expect(outcome.wasDuplicate)
        let unchanged = try #require(try await fixture.app.queries.article(second))
        #expect(unchanged.version == 1)
        #expect(unchanged.body == "")
        #expect(try await fixture.app.queries.history(second).count == 1)
        let revisions = try await watcher.query("SELECT count(*) FROM revisions WHERE article_id = $1", [second])
        #expect(try revisions.first!.decode(0, as: Int.self) == 1)
        #expect(try await fixture.eventCount() == 3)
    }
}
