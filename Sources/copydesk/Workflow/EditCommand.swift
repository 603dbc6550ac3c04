import ArgumentParser
import Copydesk
import Editorial

/// `copydesk edit`: changes an article's text.
struct EditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Change an article's title, lead, body, section or tags.",
        discussion: """
            Editing an approved article sends it back to review; editing a published one creates a \
            pending revision while the live text stays.
            """)

    @Argument(help: "The article's id.") var id: ArticleID
    @Option(help: "The new headline.") var title: String?
    @Option(help: "The new lead paragraph.") var lead: String?
    @Option(help: "The new body text.") var body: String?
    @Option(help: "Read the new body from this UTF-8 file ('-' for standard input).") var bodyFile: String?
    @Option(help: "The new section.") var section: String?
    @Option(name: .customLong("tag"), help: "A tag; repeat for several. Replaces all tags.") var tags: [String] = []
    @Option(help: "Apply only if the article is still at this version (see `copydesk show`).") var expectVersion: Int64?
    @Option(help: "Why the text changed, for the history.") var note: String?
    @OptionGroup var actingUser: ActingUserOptions

    func validate() throws {
        if body != nil && bodyFile != nil { throw ValidationError("give the body with --body or --body-file, not both") }
        if title == nil && lead == nil && body == nil && bodyFile == nil && section == nil && tags.isEmpty {
            throw ValidationError("nothing to edit: give at least one of --title, --lead, --body, --body-file, --section, --tag")
        }
    }

    func run() async throws {
        try await reportingErrors {
            let changes = ContentChanges(
                title: title, lead: lead, body: try bodyFile.map(readText) ?? body, section: section,
                tags: tags.isEmpty ? nil : tags)
            try await runWorkflow(
                .edit(changes, note: note), on: id.uuid, actingUser: actingUser, expectedVersion: expectVersion)
        }
    }
}
