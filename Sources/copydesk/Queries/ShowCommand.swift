import ArgumentParser
import Copydesk
import Foundation

/// `copydesk show`: one article, as it is now or as it was at a past version or instant.
struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show an article, as it is now or as it was (--version, --at).")

    @Argument(help: "The article's id.") var id: ArticleID
    @Option(help: "Show the article as it was right after this version of its history (1 is the draft).")
    var version: Int64?
    @Option(help: "Show the article as it was at this instant (ISO 8601, e.g. 2026-12-01T09:00:00Z).")
    var at: Date?
    @Flag(help: "Print JSON for scripts.") var json = false
    @OptionGroup var times: TimeOptions

    func validate() throws {
        if version != nil, at != nil {
            throw ValidationError("--version and --at both pick a past state; give only one of them")
        }
    }

    func run() async throws {
        try await reportingErrors(utc: times.utc) {
            let found = try await backendFromEnvironment().article(id.uuid, version: version, at: at)
            guard let article = found else { throw WorkflowError.articleNotFound(id.uuid) }
            print(json ? try Output.json(article) : Self.text(article))
        }
    }

    /// The article for a terminal: a header of facts, one line each, then the working text with
    /// its paragraphs (both through `TerminalText`, so control and bidi characters show, not act).
    static func text(_ article: ArticleView) -> String {
        let line = TerminalText.line
        var facts = [
            "id:       \(article.id.lowercased)",
            "state:    \(article.state) (version \(article.version))",
            "author:   \(line(article.author))",
            "section:  \(article.section.isEmpty ? "-" : line(article.section))",
            "tags:     \(article.tags.isEmpty ? "-" : article.tags.map(line).joined(separator: ", "))",
            "created:  \(Output.timestamp(article.createdAt))",
            "updated:  \(Output.timestamp(article.updatedAt))",
        ]
        if let originalDate = article.originalDate { facts.append("original: \(line(originalDate))") }
        if let live = article.live {
            facts.append("live:     since \(Output.timestamp(live.publishedAt)) by \(line(live.publishedBy))"
                + (article.pendingRevision ? "; the text below is the next revision, not live yet" : ""))
            if !live.title.utf8.elementsEqual(article.title.utf8) {
                facts.append("live title: \(line(live.title))")
            }
        } else {
            facts.append("live:     no")
        }
        if let scheduled = article.scheduledFor { facts.append("scheduled: \(Output.timestamp(scheduled))") }
        return facts.joined(separator: "\n") + "\n\n" + line(article.title) + "\n\n"
            + TerminalText.paragraphs(article.lead) + "\n\n" + TerminalText.paragraphs(article.body)
    }
}
