import Copydesk
import Editorial
import Foundation
import Postgres
import TestSupport
import Testing

@Suite("Replay and verification of the projections")
struct ReplayTests {
    /// A mixed workload: every kind of command, over `articles` articles.
    static func workload(_ fixture: WorkflowFixture, articles: Int) async throws -> [UUID] {
        var ids: [UUID] = []
        for index in 0..<articles {
            let id = try await fixture.draft(ArticleContent(
                title: "Статья \(index)", lead: "Lead \(index)", body: "Body «\(index)» 🗞️", section: index % 2 == 0 ? "Политика" : "City",
                tags: ["t\(index % 3)"]))
            ids.append(id)
            try await fixture.run(.edit(ContentChanges(body: "Edited body \(index)"), note: "n\(index)"), on: id, as: fixture.alice)
            try await fixture.run(.submit, on: id, as: fixture.alice)
            switch index % 4 {
            case 0:
                try await fixture.run(.requestChanges(reason: "more detail"), on: id, as: fixture.bob)
                try await fixture.run(.archive, on: id, as: fixture.bob)
            case 1:
                try await fixture.run(.approve(note: "ok"), on: id, as: fixture.bob)
                try await fixture.run(.publish(at: nil), on: id, as: fixture.carol)
                try await fixture.run(.edit(ContentChanges(title: "Updated \(index)"), note: nil), on: id, as: fixture.alice)
            case 2:
                try await fixture.run(.approve(note: nil), on: id, as: fixture.dave)
                try await fixture.run(.publish(at: nil), on: id, as: fixture.carol)
                try await fixture.run(.unpublish(reason: "legal"), on: id, as: fixture.carol)
            default:
                try await fixture.run(.comment(text: "looks good, \"mostly\""), on: id, as: fixture.dave)
            }
        }
        return ids
    }

    @Test("after a mixed workload, a rebuild matches the live projections exactly")
    func verifyClean() async throws {
        let fixture = try await WorkflowFixture()
        _ = try await Self.workload(fixture, articles: 24)
        let rebuild = ProjectionRebuild(conninfo: fixture.database.ownerConninfo)
        let (summary, differences) = try await rebuild.verify()
        #expect(differences == [])
        // Replay reads every event, the users' included.
        #expect(summary.events == (try await fixture.allEventCount()))
        #expect(summary.articles == 24)
    }

    @Test("a manual change to a projection row is reported as exactly that row, and replay removes it")
    func detectsAndRepairs() async throws {
        let fixture = try await WorkflowFixture()
        let ids = try await Self.workload(fixture, articles: 8)
        let owner = try await Connection.connect(to: fixture.database.ownerConninfo)
        try await owner.query("UPDATE articles SET title = 'Tampered' WHERE id = $1", [ids[3]])
        try await owner.query("DELETE FROM audit_log WHERE global_position = (SELECT min(global_position) FROM audit_log)")
        let firstPosition = try await owner.query("SELECT min(global_position) FROM events").first!.decode(0, as: Int64.self)

        let rebuild = ProjectionRebuild(conninfo: fixture.database.ownerConninfo)
        let (_, differences) = try await rebuild.verify()
        #expect(differences.count == 3)
        #expect(differences.contains { $0.table == "articles" && $0.key == ids[3].lowercased && $0.problem.contains("title") })
        // The search row followed the tampered title.
        #expect(differences.contains { $0.table == "article_search" && $0.key == ids[3].lowercased })
        #expect(differences.contains { $0.table == "audit_log" && $0.key == String(firstPosition) && $0.problem.contains("missing") })

        let before = try await fixture.app.queries.history(ids[1])
        let summary = try await rebuild.replay()
        #expect(summary.events == (try await fixture.allEventCount()))
        #expect(try await rebuild.verify().differences == [])
        #expect(try await fixture.app.queries.article(ids[3])?.title == "Статья 3")
        #expect(try await fixture.app.queries.history(ids[1]) == before)
        // The service role still reads and writes the swapped-in tables.
        try await fixture.run(.comment(text: "after replay"), on: ids[3], as: fixture.bob)
        #expect(try await fixture.app.queries.article(ids[3])?.version == 5)
    }

    @Test("commands that commit during a replay are caught up; nothing is lost", arguments: [nil, 3])
    func concurrentWriters(jobs: Int?) async throws {
        let fixture = try await WorkflowFixture()
        let ids = try await Self.workload(fixture, articles: 12)
        let rebuild = ProjectionRebuild(conninfo: fixture.database.ownerConninfo, jobs: jobs)
        async let replayed = rebuild.replay()
        // Archived articles (every fourth) take no comments.
        let open = ids.enumerated().filter { $0.offset % 4 != 0 }.map(\.element)
        for (index, id) in open.enumerated() {
            try await fixture.run(.comment(text: "during replay \(index)"), on: id, as: fixture.bob)
        }
        _ = try await replayed
        #expect(try await rebuild.verify().differences == [])
        for id in open {
            let history = try await fixture.app.queries.history(id)
            #expect(history.last?.note?.hasPrefix("during replay") == true)
        }
    }

    @Test("replay leaves the live tables with the same indexes and constraints, under the same names, and no copies")
    func indexesSurviveTheSwap() async throws {
        let fixture = try await WorkflowFixture()
        _ = try await Self.workload(fixture, articles: 4)
        let owner = try await Connection.connect(to: fixture.database.ownerConninfo)
        let definitions = """
            SELECT string_agg(indexdef, E'\n' ORDER BY indexname) FROM pg_indexes
            WHERE schemaname = 'public' AND tablename IN ('articles', 'revisions', 'audit_log', 'article_search')
            """
        let before: String = try await owner.query(definitions).first!.decode(0)
        #expect(before.contains("article_search_words"))
        // Columns whose compression a migration chose (lz4 where the server has it).
        let compression = """
            SELECT string_agg(attrelid::regclass || '.' || attname, ' ' ORDER BY 1) FROM pg_attribute
            WHERE attrelid IN ('articles'::regclass, 'revisions'::regclass, 'article_search'::regclass)
              AND attcompression <> ''
            """
        let compressedBefore: String = try await owner.query(compression).first!.decode(0)
        #expect(compressedBefore.contains("articles.body"))
        _ = try await ProjectionRebuild(conninfo: fixture.database.ownerConninfo).replay()
        #expect(try await owner.query(definitions).first!.decode(0, as: String.self) == before)
        #expect(try await owner.query(compression).first!.decode(0, as: String.self) == compressedBefore)
        // Neither replay nor verify leaves its rebuilt tables behind.
        _ = try await ProjectionRebuild(conninfo: fixture.database.ownerConninfo).verify()
        let leftovers = try await owner.query("SELECT count(*) FROM pg_class WHERE relname LIKE '%\\_replay%'")
        #expect(try leftovers.first!.decode(0, as: Int.self) == 0)
        // The unique constraints still hold after the swap.
        await #expect(throws: PostgresError.self) {
            try await owner.query("INSERT INTO audit_log SELECT * FROM audit_log LIMIT 1")
        }
    }

    @Test("a replay in four workers builds exactly the projections one worker builds, and verifies clean")
    func workersAgree() async throws {
        let fixture = try await WorkflowFixture()
        _ = try await Self.workload(fixture, articles: 16)
        let owner = try await Connection.connect(to: fixture.database.ownerConninfo)
        // Every row of every projection, as text, in key order.
        let projections = """
            SELECT (SELECT string_agg(t::text, E'\n' ORDER BY t.id) FROM articles t)
                || (SELECT string_agg(t::text, E'\n' ORDER BY t.article_id) FROM article_search t)
                || (SELECT string_agg(t::text, E'\n' ORDER BY t.article_id, t.version) FROM revisions t)
                || (SELECT string_agg(t::text, E'\n' ORDER BY t.global_position) FROM audit_log t)
                || (SELECT string_agg(t::text, E'\n' ORDER BY t.name) FROM users t)
            """
        let one = try await ProjectionRebuild(conninfo: fixture.database.ownerConninfo, jobs: 1).replay()
        let byOne: String = try await owner.query(projections).first!.decode(0)
        let four = try await ProjectionRebuild(conninfo: fixture.database.ownerConninfo, jobs: 4).replay()
        let byFour: String = try await owner.query(projections).first!.decode(0)
        #expect(byFour == byOne)
        let events = try await fixture.allEventCount()
        #expect(four.events == events && one.events == events)
        #expect(four.articles == 16 && one.articles == 16)
        let verified = try await ProjectionRebuild(conninfo: fixture.database.ownerConninfo, jobs: 4).verify()
        #expect(verified.differences == [])
        #expect(verified.summary.articles == 16)
    }

    @Test("copydesk replay takes --jobs, and refuses a number of workers it cannot use")
    func jobsOption() async throws {
        let fixture = try await WorkflowFixture()
        let cli = CLI(databaseURL: fixture.database.ownerConninfo)
        _ = try cli("draft", "--title", "Jobs", user: "alice")
        let verified = try cli("replay", "--jobs", "3", "--verify")
        #expect(verified.status == 0 && verified.stdout.contains("The projections match the events."), "\(verified.stderr)")
        let replayed = try cli("replay", "--jobs", "2")
        #expect(replayed.status == 0 && replayed.stdout.contains("Replayed"), "\(replayed.stderr)")
        let refused = try cli("replay", "--jobs", "0")
        #expect(refused.status != 0 && refused.stderr.contains("--jobs takes a number of workers from 1 to 64"))
    }
}
