import ArgumentParser

/// The `copydesk` command: the editorial workflow from the terminal.
@main
struct CopydeskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copydesk",
        abstract: "Copydesk: an event-sourced editorial workflow service.",
        discussion: """
            Every command uses the PostgreSQL at COPYDESK_DATABASE_URL when it is set, and otherwise a \
            private local cluster that Copydesk creates and starts by itself (see `copydesk db`).
            """,
        subcommands: [DatabaseCommand.self, MigrateCommand.self, StatusCommand.self])
}
