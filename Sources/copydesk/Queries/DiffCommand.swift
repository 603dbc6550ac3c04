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
            Without versions, compares the last two versions that changed the text. Each changed field is \
            labelled; removed words show as [-removed-] and added ones as {+added+}, or in red and green on a \
            terminal (not when NO_COLOR is set). Unchanged text is folded to a few words around each change \
            (… marks what is left out; --full shows it all). A line break that was added or removed shows as ↵. \
            A field rewritten for the most part is shown whole, as it was and as it is now.
            """)

    @Argument(help: "The article's id.") var id: ArticleID
    @Argument(help: "The version to compare from (default: the second-to-last change of the text).") var from: Int64?
    @Argument(help: "The version to compare to (default: the last change of the text).") var to: Int64?
    @Option(help: "Words of unchanged text to keep on each side of a change.") var context: Int = 5
    @Flag(help: "Show the unchanged text in full instead of folding it.") var full = false
    @Flag(help: "Print JSON for scripts (always the whole text).") var json = false

    func validate() throws {
        if (from == nil) != (to == nil) {
            throw ValidationError("give both versions to compare, FROM and TO, or neither")
        }
        guard context >= 0 else { throw ValidationError("--context must be 0 or more words") }
    }

    func run() async throws {
        try await reportingErrors {
            let diff = try await backendFromEnvironment().diff(id.uuid, from: from, to: to)
            let text = DiffText(colored: Output.colorsStandardOutput, context: full ? nil : context)
            print(json ? try Output.json(diff) : text.render(diff))
        }
    }
}
