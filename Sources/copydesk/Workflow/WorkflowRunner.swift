import Copydesk
import Editorial
import Foundation

/// Carries out one workflow command for the CLI and prints what became of the article.
func runWorkflow(
    _ action: ArticleCommand.Action, on article: UUID, actingUser: ActingUserOptions, expectedVersion: Int64? = nil
) async throws {
    try await reportingErrors {
        let state = try await backendFromEnvironment().handle(
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
