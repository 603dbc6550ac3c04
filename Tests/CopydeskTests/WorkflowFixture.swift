import Copydesk
import Editorial
import EventStore
import Foundation
import Postgres
import TestSupport

/// The application on a fresh migrated database, with alice (author), bob and dave (editors),
/// carol (publisher).
struct WorkflowFixture {
    let database: TestDatabase
    let app: CopydeskApp
    let alice = Actor(name: "alice", role: .author)
    let bob = Actor(name: "bob", role: .editor)
    let dave = Actor(name: "dave", role: .editor)
    let carol = Actor(name: "carol", role: .publisher)

    /// Commands happen at the times `now` returns (the system clock unless the test sets its own).
    init(now: @escaping @Sendable () -> Date = { Date.now }) async throws {
        database = try await TestDatabase.migrated()
        app = CopydeskApp(pool: database.servicePool(), now: now)
        for actor in [alice, bob, dave, carol] { _ = try await app.users.add(name: actor.name, role: actor.role) }
    }

    /// Runs one command from the CLI's side.
    @discardableResult
    func run(
        _ action: ArticleCommand.Action, on article: UUID, as actor: Actor, expectedVersion: Int64? = nil,
        commandId: UUID = UUID()
    ) async throws -> WorkflowOutcome {
        try await app.commands.handle(WorkflowCommand(
            article: article, actor: actor, action: action, expectedVersion: expectedVersion, commandId: commandId,
            origin: .cli))
    }

    /// Drafts an article and returns its id.
    func draft(_ content: ArticleContent, as actor: Actor? = nil) async throws -> UUID {
        let id = UUID()
        try await run(.draft(id: id, content: content, originalDate: nil), on: id, as: actor ?? alice)
        return id
    }

    /// Drafts, submits, approves (bob) and publishes (carol) an article by alice.
    func published(_ content: ArticleContent) async throws -> UUID {
        let id = try await draft(content)
        try await run(.submit, on: id, as: alice)
        try await run(.approve(note: nil), on: id, as: bob)
        try await run(.publish(at: nil), on: id, as: carol)
        return id
    }

    /// How many events the store holds.
    /// Events other than the users' (the fixture's users each have two: added, token issued).
    func eventCount() async throws -> Int {
        let owner = try await Connection.connect(to: database.ownerConninfo)
        return try await owner.query("SELECT count(*)::int FROM events WHERE stream_id NOT LIKE 'user-%'").first!
            .decode(0, as: Int.self)
    }

    /// The sample article in seeds/.
    static var seedFile: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("seeds/000_5f9bf97b76e61b5f.txt").path
    }
}
