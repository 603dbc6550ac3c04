import Editorial
import EventStore
import Foundation

/// What one command does to one article, the same whether it came as a workflow command or as an
/// imported file: the domain decides, the events become an append that expects the state's
/// version, and the projection rows come from the events exactly as they will be stored.
struct ArticleChange: Sendable {
    /// The events the domain decided on.
    let events: [ArticleEvent]
    /// The append that stores them.
    let append: AppendRequest

    /// Decides `command` on `article`'s current state (nil while it has no events).
    ///
    /// Throws the domain's `Refusal` when the command is not allowed; nothing is appended then.
    static func decide(
        _ command: ArticleCommand, on article: UUID, state: Article?, metadata: EventMetadata
    ) throws -> ArticleChange {
        let events = try ArticleDecider.decide(command, state: state)
        let version = state?.version ?? 0
        return ArticleChange(
            events: events,
            append: AppendRequest(
                stream: ArticleStream.name(for: article), expectedVersion: version == 0 ? .noStream : .exactly(version),
                events: ArticleStream.newEvents(events), metadata: metadata))
    }

    /// Records the change's projection rows in `batch` and returns the article after it.
    ///
    /// `positions` are the events' global positions once appended; nil projects them before the
    /// append, naming each row's event by its id (see `ProjectionBatch.append(afterAppending:)`).
    func project(onto state: Article?, positions: [Int64]?, into batch: inout ProjectionBatch) throws -> Article? {
        try batch.project(append.events, positions: positions, onto: state, metadata: append.metadata)
    }
}
