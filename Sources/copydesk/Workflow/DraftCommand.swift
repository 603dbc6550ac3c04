import ArgumentParser
import Copydesk
import Editorial
import Foundation
import Timestamps

/// `copydesk draft`: starts a new article.
struct DraftCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "draft", abstract: "Draft a new article and print its id (alone, for scripts).")

    @Option(help: "The headline.") var title: String
    @Option(help: "The lead paragraph.") var lead: String = ""
    @Option(help: "The body text.") var body: String?
    @Option(help: "Read the body from this UTF-8 file ('-' for standard input).") var bodyFile: String?
    @Option(help: "The section, such as Politics.") var section: String = ""
    @Option(name: .customLong("tag"), help: "A tag; repeat for several.") var tags: [String] = []
    @OptionGroup var actingUser: ActingUserOptions

    func validate() throws {
        if body != nil && bodyFile != nil { throw ValidationError("give the body with --body or --body-file, not both") }
    }

    func run() async throws {
        try await reportingErrors {
            let content = ArticleContent(
                title: title, lead: lead, body: try bodyFile.map(readText) ?? body ?? "", section: section, tags: tags)
            let id = UUID.timeOrdered()
            let article = try await backendFromEnvironment().handle(
                .draft(id: id, content: content, originalDate: nil), on: id, actingUser: actingUser)
            print(article.id.lowercased)
        }
    }
}
