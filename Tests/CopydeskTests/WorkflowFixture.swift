import Copydesk
import Editorial
import EventStore
import Foundation
import Postgres
import TestSupport

/// The log did not start with the fixture's users' events.
struct UnexpectedLogHead: Error, CustomStringConvertible {
    var types: [String]
    var streams: [String]
    var description: String { "the log starts with \(zip(streams, types).map { "\($0) \($1)" })" }
}

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
        for actor in users { _ = try await app.users.add(name: actor.name, role: actor.role) }
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

    /// How many events the store holds outside users' streams: what commands on articles (and
    /// anything else but user management) wrote. The fixture's users have two events each (added,
    /// token issued), which `allEventCount` counts too.
    func eventCount() async throws -> Int {
        let owner = try await Connection.connect(to: database.ownerConninfo)
        let count = try await owner.query("SELECT count(*)::int FROM events WHERE stream_id NOT LIKE 'user-%'")
            .first!.decode(0, as: Int.self)
        await owner.close()
        return count
    }

    /// How many events the store holds, users' included: what the global log, replay and the
    /// audit export (one record per event) hold.
    func allEventCount() async throws -> Int {
        let owner = try await Connection.connect(to: database.ownerConninfo)
        let count = try await owner.query("SELECT count(*)::int FROM events").first!.decode(0, as: Int.self)
        await owner.close()
        return count
    }

    /// The fixture's users, in the order they were added.
    var users: [Actor] { [alice, bob, dave, carol] }

    /// The events adding the fixture's users wrote, in log order: each user added, then their first token.
    var userEventTypes: [String] { users.flatMap { _ in ["UserAdded", "TokenIssued"] } }

    /// The cursor of the last event adding the fixture's users, which come first in the log: the
    /// global log read after it holds only what the test itself wrote. Waits until the log shows
    /// them (it holds back commits behind older transactions still open in the cluster).
    func afterUsers() async throws -> GlobalCursor {
        let count = userEventTypes.count
        let deadline = ContinuousClock.now + .seconds(20)
        while true {
            let head = try await app.store.readAll(limit: count)
            if head.count == count || ContinuousClock.now > deadline {
                guard head.map(\.type) == userEventTypes,
                    head.map(\.streamId) == users.flatMap({ [UserStream.name(for: $0.name), UserStream.name(for: $0.name)] }),
                    let last = head.last
                else { throw UnexpectedLogHead(types: head.map(\.type), streams: head.map(\.streamId)) }
                return last.cursor
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// The sample article in seeds/.
    static var seedFile: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("seeds/000_5f9bf97b76e61b5f.txt").path
    }
}
