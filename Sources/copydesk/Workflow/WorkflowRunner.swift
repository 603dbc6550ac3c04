import Copydesk
import Editorial
import Foundation

/// Carries out one workflow command for the CLI and prints what became of the article; on
/// `backend` when the command has already opened one (to read the article first), else on the
/// one the environment names.
func runWorkflow(
    _ action: ArticleCommand.Action, on article: UUID, actingUser: ActingUserOptions, expectedVersion: Int64? = nil,
    backend: (any Backend)? = nil
) async throws {
    try await reportingErrors {
        let backend = if let backend { backend } else { try await backendFromEnvironment() }
        let state = try await backend.handle(
            action, on: article, actingUser: actingUser, expectedVersion: expectedVersion)
        var line = "\(article.lowercased): \(state.state), version \(state.version)"
        if state.pendingRevision {
            // An unpublished article edited since its withdrawal has a pending revision and nothing live.
            line += state.live == nil ? ", pending revision (nothing is live)" : ", pending revision (the live text is unchanged)"
        }
        if let scheduled = state.scheduledFor { line += ", scheduled for \(Output.timestamp(scheduled))" }
        print(line)
    }
}
