import ArgumentParser
import Copydesk
import Editorial
import Foundation

/// `copydesk list`: articles, filtered and searched.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List articles, most recently updated first (best match first with --search).",
        discussion: """
            An article's state is that of its newest revision: a published article being revised is in_review \
            (or draft, approved...) while its earlier text stays live, so --state published lists only articles \
            whose newest text is the live one. --live lists every article with a live text, whatever state its \
            next revision is in; the STATE column says "live" beside such a revision's state.
            """)

    @Option(help: "Only articles in this state (draft, in_review, changes_requested, approved, scheduled, published, unpublished, archived).")
    var state: String?
    @Flag(help: "Only articles that are live now, whatever state their next revision is in.") var live = false
    @Option(help: "Only articles by this author.") var author: String?
    @Option(help: "Only articles in this section.") var section: String?
    @Option(help: "Words to search for in title, lead and body (Russian and English).") var search: String?
    @Option(help: "At most this many articles.") var limit: Int = 50
    @Flag(help: "Print JSON for scripts.") var json = false
    @OptionGroup var times: TimeOptions

    func validate() throws {
        if let state, ArticleStatus(rawValue: state) == nil {
            throw ValidationError(
                "unknown state \"\(TerminalText.line(state))\"; use one of \(ArticleStatus.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 10000") }
    }

    func run() async throws {
        try await reportingErrors(utc: times.utc) {
            let backend = try await backendFromEnvironment()
            let search = search.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
            let articles = try await backend.list(
                ArticleFilter(
                    state: state, author: author, section: section, search: search, limit: limit,
                    live: live ? true : nil))
            if json {
                print(try Output.json(articles))
            } else if articles.isEmpty {
                print(live ? "No live articles match." : "No articles match.")
            } else {
                print(Output.table(
                    ["ID", "STATE", "V", "UPDATED", "AUTHOR", "SECTION", "TITLE"],
                    articles.map { article in
                        [article.id.lowercased, Self.state(of: article),
                         String(article.version), Output.timestamp(article.updatedAt), article.author,
                         article.section, Output.truncated(TerminalText.line(article.title), 60)]
                    }))
            }
        }
    }

    /// The state in words: "in_review, live" when an earlier revision is live while the next one is in
    /// review; "published, pending revision" while the live article is being edited.
    static func state(of article: ArticleSummary) -> String {
        guard article.pendingRevision || (article.isLive && article.state != "published") else { return article.state }
        return article.state + (article.state == "published" ? ", pending revision" : ", live")
    }
}


