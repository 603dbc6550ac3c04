import Copydesk
import Editorial
import Foundation

/// An article's text as a file for `$EDITOR`, in the seed layout (README, "Seed files"):
///
/// ```
/// <title>
///
/// <section> >> <DD.MM.YYYY>      (just <section> for an article without an original date)
/// <title again>
/// <lead>
///
/// <body>
/// ```
///
/// so the file reads like the articles it came from, and a saved copy can be imported as it is.
enum EditorFile {
    /// Why a file cannot be read back, with its line.
    struct FormatError: Error, CustomStringConvertible {
        let line: Int
        let message: String
        var description: String { "line \(line): \(message)" }
    }

    /// Why an article's text does not fit the layout (a field the layout keeps on one line holds a line break).
    static func unfit(_ article: ArticleView) -> String? {
        for (name, text) in [("title", article.title), ("section", article.section), ("lead", article.lead)]
        where text.contains(where: \.isNewline) {
            return "the \(name) holds a line break, which the editor's layout keeps on one line; "
                + "change it with --\(name) instead"
        }
        return nil
    }

    /// The file's text; the body is followed by a line break, as editors save a file (and `read` drops it again).
    static func text(of article: ArticleView) -> String {
        var dateline = article.section
        if let date = seedDate(article) { dateline += " >> " + date }
        let lines = [article.title, "", dateline, article.title, article.lead, "", article.body]
        return lines.joined(separator: "\n") + "\n"
    }

    /// The title, section, lead and body the edited file holds. The title is written twice, as in seed files; the
    /// one of the two lines that was changed wins, and two different new titles are an error.
    static func read(_ text: String, editing article: ArticleView) throws -> ArticleContent {
        // An editor ends the file with a line break that is not part of the body.
        let text = text.hasSuffix("\n") ? String(text.dropLast()) : text
        var lines = text.split(separator: "\n", maxSplits: 6, omittingEmptySubsequences: false).map(String.init)
        if lines.count == 6 { lines.append("") }  // no body at all
        guard lines.count == 7 else {
            throw FormatError(
                line: lines.count + 1,
                message: "the file ends early; keep the layout: title, blank line, section, title again, lead, "
                    + "blank line, body")
        }
        for number in [2, 6] where !lines[number - 1].isEmpty {
            throw FormatError(line: number, message: "expected a blank line, found \"\(lines[number - 1])\"")
        }
        let title: String
        switch (lines[0], lines[3]) {
        case let (first, again) where first == again: title = first
        case let (first, again) where again == article.title: title = first
        case let (first, again) where first == article.title: title = again
        default:
            throw FormatError(line: 4, message: "line 1 and line 4 are two different titles; change both the same way")
        }
        return ArticleContent(
            title: title, lead: lines[4], body: lines[6], section: try section(lines[2], editing: article),
            tags: article.tags)
    }

    /// Line 3: the section, then ` >> ` and the original date, which is the original's and cannot be edited.
    private static func section(_ line: String, editing article: ArticleView) throws -> String {
        guard let date = seedDate(article) else { return line }
        let suffix = " >> " + date
        guard line.hasSuffix(suffix) else {
            throw FormatError(
                line: 3, message: "expected \"<section>\(suffix)\": the original date is kept as it was")
        }
        return String(line.dropLast(suffix.count))
    }

    /// The original date as seed files write it, `DD.MM.YYYY` (stored as `yyyy-mm-dd`).
    private static func seedDate(_ article: ArticleView) -> String? {
        guard let iso = article.originalDate else { return nil }
        let parts = iso.split(separator: "-")
        return parts.count == 3 ? "\(parts[2]).\(parts[1]).\(parts[0])" : nil
    }
}
