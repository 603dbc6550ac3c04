import ArgumentParser
import Copydesk
import Editorial
import Foundation

/// `copydesk diff`: what changed in an article's text between two versions, word by word.
struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show how an article's title, lead, body, section and tags changed between two versions.",
        discussion: """
            Without versions, compares the last two versions that changed the text. Removed words show as \
            [-removed-] and added ones as {+added+}, or in red and green on a terminal.
            """)

    @Argument(help: "The article's id.") var id: ArticleID
    @Argument(help: "The version to compare from (default: the second-to-last change of the text).") var from: Int64?
    @Argument(help: "The version to compare to (default: the last change of the text).") var to: Int64?
    @Flag(help: "Print JSON for scripts.") var json = false

    func validate() throws {
        if (from == nil) != (to == nil) {
            throw ValidationError("give both versions to compare, FROM and TO, or neither")
        }
    }

    func run() async throws {
        try await reportingErrors {
            let diff = try await backendFromEnvironment().diff(id.uuid, from: from, to: to)
            print(json ? try Output.json(diff) : Self.text(diff, colored: isatty(STDOUT_FILENO) == 1))
        }
    }

    /// The diff for a person: each changed field with its word diff, then the unchanged fields on one line.
    static func text(_ diff: ArticleDiff, colored: Bool) -> String {
        var blocks = ["article \(diff.id.lowercased): version \(diff.from) → version \(diff.to)"]
        for field in diff.fields where field.changed {
            let multiline = field.field == "lead" || field.field == "body"
            let text = field.segments.map { render($0, multiline: multiline, colored: colored) }.joined()
            blocks.append("\(field.field):\n" + text)
        }
        let unchanged = diff.fields.filter { !$0.changed }.map(\.field)
        if unchanged.count == diff.fields.count {
            blocks.append("no change to the text")
        } else if !unchanged.isEmpty {
            blocks.append("unchanged: " + unchanged.joined(separator: ", "))
        }
        return blocks.joined(separator: "\n\n")
    }

    /// One segment: colours on a terminal, `git diff --word-diff` markers anywhere else (pipes, files, tests).
    /// Only the colours are escape sequences of ours; the text's own control characters are shown, and
    /// line breaks are kept only in the fields that are prose (`multiline`: lead and body).
    static func render(_ segment: DiffSegment, multiline: Bool = true, colored: Bool) -> String {
        let text = multiline ? TerminalText.paragraphs(segment.text) : TerminalText.line(segment.text)
        return switch (segment.kind, colored) {
        case (.same, _): text
        case (.removed, true): "\u{1B}[31;9m\(text)\u{1B}[0m"
        case (.added, true): "\u{1B}[32m\(text)\u{1B}[0m"
        case (.removed, false): "[-\(text)-]"
        case (.added, false): "{+\(text)+}"
        }
    }
}
