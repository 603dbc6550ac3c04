import ArgumentParser
import Foundation

/// The `copydesk` command: the editorial workflow from the terminal.
@main
struct CopydeskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copydesk",
        abstract: "Copydesk: an event-sourced editorial workflow service.",
        discussion: """
            With COPYDESK_URL (and COPYDESK_TOKEN, or `copydesk login URL`), the workflow and query commands \
            go through that Copydesk server as the token's user: the editors' mode. Otherwise, and always for \
            the operator commands, Copydesk uses the PostgreSQL at COPYDESK_DATABASE_URL when it is set, and \
            otherwise a private local cluster that it creates and starts by itself (see `copydesk db`).
            """,
        subcommands: [
            DraftCommand.self, EditCommand.self, SubmitCommand.self, RequestChangesCommand.self, ApproveCommand.self,
            PublishCommand.self, UnscheduleCommand.self, UnpublishCommand.self, ArchiveCommand.self,
            RestoreCommand.self, RevertCommand.self, CommentCommand.self,
            ShowCommand.self, ListCommand.self, HistoryCommand.self, DiffCommand.self, ImportCommand.self,
            AuditCommand.self, EventsCommand.self, ReplayCommand.self, VerifyCommand.self, AnchorCommand.self,
            SchedulerCommand.self, ServeCommand.self, UserCommand.self, MigrateCommand.self, StatusCommand.self,
            DatabaseCommand.self, LoginCommand.self, LogoutCommand.self,
        ])

    /// Runs the chosen command as `AsyncParsableCommand.main` does, except that a usage error is
    /// printed through `TerminalText`: its message quotes the value that was typed.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch let failure as RemoteFailure {
            // For the commands that do not report through `reportingErrors` (migrate, status).
            FileHandle.standardError.write(Data("copydesk: \(TerminalText.line(failure.message))\n".utf8))
            Foundation.exit(failure.status)
        } catch {
            let status = exitCode(for: error)
            let message = fullMessage(for: error)
            if status == .success {
                if !message.isEmpty { print(message) }  // --help, --version: our own text, for stdout
            } else if !message.isEmpty {
                FileHandle.standardError.write(Data((TerminalText.paragraphs(message) + "\n").utf8))
            }
            Foundation.exit(status.rawValue)
        }
    }
}
