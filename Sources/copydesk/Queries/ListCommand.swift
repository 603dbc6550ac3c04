import ArgumentParser
import Copydesk
import Editorial
import Foundation

/// `copydesk list`: articles, filtered and searched.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List articles, most recently updated first (best match first with --search).")

    @Option(help: "Only articles in this state (draft, in_review, changes_requested, approved, scheduled, published, unpublished, archived).")
    var state: String?
    @Option(help: "Only articles by this author.") var author: String?
    @Option(help: "Only articles in this section.") var section: String?
    @Option(help: "Words to search for in title, lead and body (Russian and English).") var search: String?
    @Option(help: "At most this many articles.") var limit: Int = 50
    @Flag(help: "Print JSON for scripts.") var json = false

    func validate() throws {
        if let state, ArticleStatus(rawValue: state) == nil {
            throw ValidationError(
                "unknown state \"\(TerminalText.line(state))\"; use one of \(ArticleStatus.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 10000") }
    }

    func run() async throws {
        try await reportingErrors {
            let backend = try await backendFromEnvironment()
            let search = search.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
            let articles = try await backend.list(
                ArticleFilter(state: state, author: author, section: section, search: search, limit: limit))
            if json {
                print(try Output.json(articles))
            } else if articles.isEmpty {
                print("No articles match.")
            } else {
                print(Output.table(
                    ["ID", "STATE", "V", "UPDATED", "AUTHOR", "SECTION", "TITLE"],
                    articles.map { article in
                        [article.id.lowercased, article.state + (article.pendingRevision ? "+" : ""),
                         String(article.version), Output.timestamp(article.updatedAt), article.author,
                         article.section, Output.truncated(TerminalText.line(article.title), 60)]
                    }))
            }
        }
    }
}


