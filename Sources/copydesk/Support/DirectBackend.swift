import Copydesk
import Editorial
import Foundation

/// The operators' mode: commands run on the database itself, as the user `--as` names.
struct DirectBackend: Backend {
    let app: CopydeskApp

    func handle(
        _ action: ArticleCommand.Action, on article: UUID, actingUser: ActingUserOptions, expectedVersion: Int64?
    ) async throws -> ArticleView {
        let actor = try await actingUser.actor(in: app)
        let outcome = try await app.commands.handle(WorkflowCommand(
            article: article, actor: actor, action: action, expectedVersion: expectedVersion, origin: .cli))
        return ArticleView(article: outcome.article)
    }

    func article(_ id: UUID, version: Int64?, at instant: Date?) async throws -> ArticleView? {
        if let version { return try await app.queries.article(id, atVersion: version) }
        if let instant { return try await app.queries.article(id, at: instant) }
        return try await app.queries.article(id)
    }

    func list(_ filter: ArticleFilter) async throws -> [ArticleSummary] {
        try await app.queries.list(filter)
    }

    func history(_ id: UUID) async throws -> [HistoryEntry] {
        try await app.queries.history(id)
    }

    func diff(_ id: UUID, from: Int64?, to: Int64?) async throws -> ArticleDiff {
        try await app.queries.diff(id, from: from, to: to)
    }

    func audit(_ filter: AuditFilter) -> any AsyncSequence<AuditRecord, any Error> {
        app.queries.audit(filter)
    }
}
