import Editorial
import EventStore
import Foundation
import Postgres

/// Publishes scheduled articles when they are due, as the actor `scheduler`.
///
/// Any number of schedulers may run (in `copydesk serve` on every node, or `copydesk scheduler`):
/// an advisory lock lets one of them work at a time, and each publication's command id is derived
/// from the article and its scheduled time, so even a publication attempted twice is written once.
/// A schedule missed while nothing ran is published on the next pass, and its lateness recorded.
public struct Scheduler: Sendable {
    public let commands: CommandService

    /// The system actor that publishes scheduled articles.
    public static let actor = Actor.scheduler
    /// Identifies "the scheduler is working" among advisory locks.
    static let lockKey: Int64 = 0x7363_6865_6475_6C65  // "schedule"

    public init(commands: CommandService) {
        self.commands = commands
    }

    /// A publication the scheduler made.
    public struct Publication: Sendable, Hashable {
        public let article: UUID
        public let scheduledFor: Date
    }

    /// Publishes every scheduled article that is due now. Returns nothing when another scheduler
    /// holds the lock (it is doing the same work).
    public func publishDue() async throws -> [Publication] {
        // The lock lives on a connection of its own, so the publications themselves can use the
        // whole pool (even a pool of one).
        let lock = try await commands.store.pool.openDedicatedConnection()
        do {
            let acquired = try await lock.query("SELECT pg_try_advisory_lock($1)", [Self.lockKey]).first?
                .decode(0, as: Bool.self) ?? false
            let published = acquired ? try await publishAll(due: dueArticles(on: lock)) : []
            await lock.close()  // releases the lock
            return published
        } catch {
            await lock.close()
            throw error
        }
    }

    /// Runs `publishDue` every `interval` until the task is cancelled, reporting each publication
    /// and each failed pass (the next pass retries).
    public func run(
        every interval: Duration, onPublished: @Sendable (Publication) -> Void = { _ in },
        onError: @Sendable (any Error) -> Void = { _ in }
    ) async {
        while !Task.isCancelled {
            do {
                for publication in try await publishDue() { onPublished(publication) }
            } catch {
                onError(error)
            }
            try? await Task.sleep(for: interval)
        }
    }

    private func dueArticles(on connection: Connection) async throws -> [(Publication, UUID)] {
        try await connection.query(
            """
            SELECT id, scheduled_for, md5(id::text || '@' || scheduled_for::text)::uuid AS command_id
            FROM articles WHERE status = 'scheduled' AND scheduled_for <= now()
            ORDER BY scheduled_for, id
            """
        ).rows.map { row in
            (Publication(article: try row.decode("id"), scheduledFor: try row.decode("scheduled_for")),
             try row.decode("command_id"))
        }
    }

    private func publishAll(due: [(Publication, UUID)]) async throws -> [Publication] {
        var published: [Publication] = []
        for (publication, commandId) in due {
            do {
                let outcome = try await commands.handle(WorkflowCommand(
                    article: publication.article, actor: Self.actor, action: .publishDue, commandId: commandId,
                    origin: .scheduler))
                if !outcome.wasDuplicate { published.append(publication) }
            } catch WorkflowError.refused {
                // Unpublished or rescheduled since we looked: nothing is due any more.
                continue
            }
        }
        return published
    }
}
