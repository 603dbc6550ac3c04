import Editorial
import EventStore
import Foundation
import Postgres

/// The two round trips a command makes, built apart from sending them: the service sends them,
/// and the benchmark's floor (`copydesk-bench`, commands_floor) sends the very same statements
/// without the service in between, so the two can never drift apart.
extension CommandService {
    /// The first round trip: begin, lock the stream, look up the command id, read the snapshot.
    package struct Opening: Sendable {
        package let pipeline: Pipeline
        let locked: PipelinedStreamState
        let snapshotStatement: Int
    }

    /// The second round trip: append, projection rows, commit, wake-up, and where the commit is in
    /// the write-ahead log.
    package struct Closing: Sendable {
        package let pipeline: Pipeline
        let append: PipelinedAppend
        /// The article after the command.
        package let article: Article
        /// The events the domain decided on.
        package let events: [ArticleEvent]
        let walPositionStatement: Int
    }

    /// The opening round trip of `command`. Concurrent commands on one article take turns at the
    /// stream's lock instead of deciding on the same state; what follows it reads after it.
    package func opening(for command: WorkflowCommand) -> Opening {
        var pipeline = Pipeline()
        pipeline.append("BEGIN")
        let locked = store.lockStream(ArticleStream.name(for: command.article), checking: command.commandId, in: &pipeline)
        // The article's projection row: written with every append, so a snapshot at its version.
        let snapshotStatement = pipeline.count
        pipeline.append(ArticleSnapshot.select, [command.article])
        return Opening(pipeline: pipeline, locked: locked, snapshotStatement: snapshotStatement)
    }

    /// Decides `action` (the command's own, or a revert with its text filled in) on `state` and
    /// builds the closing round trip; `rowExists` says whether the article has a projection row.
    ///
    /// Throws `WorkflowError` when the domain refuses the command or there is no such article.
    package func closing(
        for command: WorkflowCommand, action: ArticleCommand.Action, state: Article?, rowExists: Bool
    ) throws -> Closing {
        let metadata = EventMetadata(
            actor: command.actor.name, commandId: command.commandId, correlationId: command.correlationId,
            origin: command.origin, actorKind: command.actor.metadataKind)
        let change: ArticleChange
        do {
            change = try ArticleChange.decide(
                ArticleCommand(actor: command.actor, at: now(), action: action), on: command.article,
                state: state, metadata: metadata)
        } catch let refusal as Refusal {
            if refusal.reason == .notFound { throw WorkflowError.articleNotFound(command.article) }
            throw WorkflowError.refused(refusal)
        }
        // The projections are computed from the events before they are appended, and written in
        // the same pipeline: append, projections, commit, wake-up.
        var batch = ProjectionBatch()
        guard let article = try change.project(onto: state, positions: nil, into: &batch) else {
            throw WorkflowError.articleNotFound(command.article)
        }
        var pipeline = Pipeline()
        let append = try store.append(change.append, fingerprint: command.requestHash, to: &pipeline)
        batch.append(afterAppending: change.append.events, articleRowExists: rowExists, to: &pipeline)
        EventStore.commit(&pipeline)
        let walPositionStatement = pipeline.count
        pipeline.append(WALPosition.afterCommitSQL)
        return Closing(
            pipeline: pipeline, append: append, article: article, events: change.events,
            walPositionStatement: walPositionStatement)
    }
}
