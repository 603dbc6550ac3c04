import Editorial
import EventStore
import Foundation
import Postgres
import Timestamps

/// The one place where workflow commands are carried out, for the CLI and HTTP alike.
///
/// In one transaction: load the article (its projection row, plus any events after it), let the
/// domain decide, append the events with the loaded version as the expected version, and update
/// the projections, so the caller reads its own write (`ArticleChange`, shared with import).
/// Commands on one article take turns (the store locks the stream); a conflict that still happens
/// (two drafts racing to create one stream) is retried from fresh state, unless the caller named
/// the version it expects.
public struct CommandService: Sendable {
    public let store: EventStore
    /// The time commands happen at, cut to the millisecond (the precision events keep).
    let now: @Sendable () -> Date
    static let maximumAttempts = 5

    /// A service whose commands happen at the times `now` returns (the system clock unless a test
    /// or a tool sets its own), cut to the millisecond.
    public init(store: EventStore, now: @escaping @Sendable () -> Date = { Date.now }) {
        self.store = store
        self.now = { now().truncatedToMilliseconds }
    }

    /// Carries out `command`; throws `WorkflowError` when it is refused, conflicts or names no article.
    public func handle(_ command: WorkflowCommand) async throws -> WorkflowOutcome {
        var attempt = 1
        while true {
            do {
                let outcome = try await store.pool.withConnection { connection in
                    try await connection.perform { connection in try self.inTransaction(command, on: connection) }
                }
                ReadConsistency.current?.advance(to: outcome.commitPosition)
                return outcome
            } catch EventStoreError.versionConflict(_, _, let actual) {
                guard command.expectedVersion == nil, attempt < Self.maximumAttempts else {
                    throw WorkflowError.conflict(
                        article: command.article, expected: command.expectedVersion ?? actual - 1, actual: actual)
                }
                attempt += 1
            }
        }
    }

    /// One attempt in one transaction, in two round trips (pipelines): begin, lock and read the
    /// state; append, write the projections, commit. Rolled back when anything throws.
    /// (A third only when the projection row is behind the stream, when comments came after the
    /// version the caller expects, or to read the text a revert brings back.)
    private func inTransaction(_ command: WorkflowCommand, on connection: isolated Connection) throws
        -> WorkflowOutcome
    {
        do {
            return try attempt(command, on: connection)
        } catch {
            if connection.isInTransaction { try? connection.executeScript("ROLLBACK") }
            throw error
        }
    }

    private func attempt(_ command: WorkflowCommand, on connection: isolated Connection) throws -> WorkflowOutcome {
        let stream = ArticleStream.name(for: command.article)
        let loaded = try begin(command, stream: stream, on: connection)
        if let handled = loaded.handled {
            try Self.requireSameRequest(command, as: handled.requestFingerprint)
            // A retry: answer as the first time, with the article as that command left it.
            let outcome = try answerAsBefore(command, stream: stream, upTo: handled.lastVersion, on: connection)
            try connection.executeScript("ROLLBACK")  // nothing to write
            return outcome
        }
        let current = loaded.article
        let version = current?.version ?? 0
        if let expected = command.expectedVersion, expected != version,
            try !Self.onlyReviewNotes(in: stream, after: expected, upTo: version, store: store, on: connection)
        {
            throw WorkflowError.conflict(article: command.article, expected: expected, actual: version)
        }
        var action = command.action
        if case .revert(let target, nil, let note) = action, let current, (1...current.version).contains(target) {
            // The decider keeps only the present; the text of an earlier version is in its events.
            let past = try store.readStream(stream, on: connection).prefix { $0.streamVersion <= target }
            action = .revert(toVersion: target, content: try Self.fold(Array(past))?.content, note: note)
        }

        let closing = try self.closing(for: command, action: action, state: current, rowExists: loaded.rowExists)
        var results: [QueryResult] = []
        let result = try closing.append.result {
            results = try connection.run(closing.pipeline)
            return results
        }
        if result.wasDuplicate {
            // The same command id committed concurrently (on another article, say): nothing was
            // written here, projections included. Answer as that command did.
            if command.requestHash != nil {
                try Self.requireSameRequest(
                    command, as: try store.requestFingerprint(of: command.commandId, on: connection))
            }
            return try answerAsBefore(command, stream: stream, upTo: result.lastVersion, on: connection)
        }
        return WorkflowOutcome(
            article: closing.article, events: closing.events, wasDuplicate: false,
            commitPosition: try results[closing.walPositionStatement].first?.decodeIfPresent(0, as: String.self)
                .flatMap(WALPosition.init))
    }

    /// Whether every event after version `expected` (up to `version`) is a review note, which
    /// changes neither text nor status: a command that expects a version taken before a comment
    /// is then not stale, so a reviewer's comment never makes someone's edit conflict.
    private static func onlyReviewNotes(
        in stream: String, after expected: Int64, upTo version: Int64, store: EventStore,
        on connection: isolated Connection
    ) throws -> Bool {
        guard expected >= 1, expected < version else { return false }
        let later = try store.readStream(stream, from: expected + 1, on: connection)
        return try later.allSatisfy { try ArticleStream.decode($0).isReviewNote }
    }

    /// The state a command decides on, read at the start of its transaction.
    private struct LoadedState {
        /// The article now, or nil when it has no events.
        let article: Article?
        /// Whether the article has a projection row (updated in place rather than inserted).
        let rowExists: Bool
        /// This command, when its id was handled before.
        let handled: HandledCommand?
    }

    /// Refuses a command id handled before for another request (an HTTP Idempotency-Key sent
    /// again with another body): answering with the first result would drop this request silently.
    private static func requireSameRequest(_ command: WorkflowCommand, as handled: [UInt8]?) throws {
        guard let hash = command.requestHash, let handled, handled != hash else { return }
        throw WorkflowError.commandIdReused(command.commandId)
    }

    /// Begins the transaction, locks the stream and reads the state, in one round trip.
    private func begin(_ command: WorkflowCommand, stream: String, on connection: isolated Connection) throws
        -> LoadedState
    {
        let opening = self.opening(for: command)
        let results = try connection.run(opening.pipeline)
        let state = try opening.locked.state(from: results)
        let snapshot = try results[opening.snapshotStatement].first.map(ArticleSnapshot.article(from:))
        var article = snapshot
        if state.version > snapshot?.version ?? 0 {
            // The row is behind the stream (a writer that projects nothing appended): fold the rest.
            let later = try store.readStream(stream, from: (snapshot?.version ?? 0) + 1, on: connection)
            article = try Self.fold(later, onto: snapshot)
        }
        return LoadedState(article: article, rowExists: snapshot != nil, handled: state.handledCommand)
    }

    /// The outcome of a command already handled: the article as it was after `version`.
    private func answerAsBefore(
        _ command: WorkflowCommand, stream: String, upTo version: Int64, on connection: isolated Connection
    ) throws -> WorkflowOutcome {
        let stored = try store.readStream(stream, on: connection)
        guard let then = try Self.fold(stored.filter { $0.streamVersion <= version }) else {
            throw WorkflowError.articleNotFound(command.article)
        }
        return WorkflowOutcome(article: then, events: [], wasDuplicate: true)
    }

    static func fold(_ events: [RecordedEvent], onto state: Article? = nil) throws -> Article? {
        try events.reduce(state) { state, recorded in ArticleDecider.evolve(state, try ArticleStream.decode(recorded)) }
    }
}
