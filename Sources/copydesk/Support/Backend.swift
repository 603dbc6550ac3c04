import Copydesk
import Editorial
import Foundation

/// Where the workflow and query commands are carried out: the database itself (the operators'
/// mode, `DirectBackend`) or a Copydesk server's HTTP API as a token's user (the editors' mode,
/// `RemoteBackend`, chosen by `COPYDESK_URL`). Both answer with the same view types, so every
/// command prints the same text and exits with the same status in either mode.
protocol Backend: Sendable {
    /// Carries out one workflow command as the acting user and answers the article as it became.
    /// A draft's article id is the backend's to choose: read it from the answer.
    func handle(
        _ action: ArticleCommand.Action, on article: UUID, actingUser: ActingUserOptions, expectedVersion: Int64?
    ) async throws -> ArticleView

    /// The article now (both nil), right after `version`, or as it was at `instant`; nil when there is none.
    func article(_ id: UUID, version: Int64?, at instant: Date?) async throws -> ArticleView?

    /// The articles `filter` picks, in the order `list` shows them.
    func list(_ filter: ArticleFilter) async throws -> [ArticleSummary]

    /// Every event of the article, oldest first (empty when there is no such article).
    func history(_ id: UUID) async throws -> [HistoryEntry]

    /// How the text changed between two versions (the last two texts when both are nil).
    func diff(_ id: UUID, from: Int64?, to: Int64?) async throws -> ArticleDiff

    /// The audit log's matching records, in global-log order, read as they are asked for (so that
    /// millions of rows are never held at once).
    func audit(_ filter: AuditFilter) -> any AsyncSequence<AuditRecord, any Error>
}

extension Backend {
    /// Carries out a workflow command on the newest version, whatever it is.
    func handle(_ action: ArticleCommand.Action, on article: UUID, actingUser: ActingUserOptions) async throws
        -> ArticleView
    {
        try await handle(action, on: article, actingUser: actingUser, expectedVersion: nil)
    }

    /// The article as it is now.
    func article(_ id: UUID) async throws -> ArticleView? {
        try await article(id, version: nil, at: nil)
    }
}

/// The backend the environment asks for: the server at `COPYDESK_URL` when it is set, otherwise the
/// database (`COPYDESK_DATABASE_URL` or the private local cluster).
func backendFromEnvironment() async throws -> any Backend {
    if let remote = try RemoteConfiguration.fromEnvironment() {
        return RemoteBackend(configuration: remote)
    }
    return DirectBackend(app: try await CopydeskApp.fromEnvironment())
}
