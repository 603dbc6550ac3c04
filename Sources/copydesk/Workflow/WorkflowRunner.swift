import Copydesk
import Editorial
import Foundation

/// Carries out one workflow command for the CLI and prints what became of the article.
func runWorkflow(
    _ action: ArticleCommand.Action, on article: UUID, actingUser: ActingUserOptions, expectedVersion: Int64? = nil
) async throws {
    try await reportingErrors {
        let app = try await CopydeskApp.fromEnvironment()
        let actor = try await actingUser.actor(in: app)
        let outcome = try await app.commands.handle(WorkflowCommand(
            article: article, actor: actor, action: action, expectedVersion: expectedVersion, origin: .cli))
        let state = outcome.article
        var line = "\(article.lowercased): \(state.status.rawValue), version \(state.version)"
        if state.pendingRevision { line += ", pending revision (the live text is unchanged)" }
        if let scheduled = state.scheduledFor { line += ", scheduled for \(Output.timestamp(scheduled))" }
        print(line)
    }
}
