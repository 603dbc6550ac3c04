import ArgumentParser
import Copydesk
import Editorial

/// `--replace OLD=NEW`: every occurrence of OLD, exactly as typed, becomes NEW.
struct TextReplacement: Sendable, Hashable {
    let old: String
    let new: String

    /// Splits at the first `=`, so NEW may hold `=` signs; OLD must not be empty.
    static func parse(_ argument: String) throws -> TextReplacement {
        guard let separator = argument.firstIndex(of: "=") else {
            throw ValidationError(
                "--replace takes OLD=NEW, e.g. --replace Асхад=Асхат; found \"\(TerminalText.line(argument))\"")
        }
        let old = String(argument[..<separator])
        guard !old.isEmpty else {
            throw ValidationError("--replace needs the text to replace before the =, e.g. Асхад=Асхат")
        }
        return TextReplacement(old: old, new: String(argument[argument.index(after: separator)...]))
    }

    /// The text fields `--in` can name.
    enum Field: String, CaseIterable, ExpressibleByArgument {
        case title, lead, body
    }

    /// What applying the replacements did: the new text of each field changed, and per replacement how many
    /// occurrences each field had.
    struct Outcome {
        var changes = ContentChanges()
        var counts: [(replacement: TextReplacement, perField: [(Field, Int)])] = []
    }

    /// Applies the replacements one after the other, each to the text the previous ones left, in `fields`.
    /// Throws, writing nothing, when one of them matches nowhere: it is most likely mistyped.
    static func apply(_ replacements: [TextReplacement], in fields: [Field], to content: ArticleContent) throws
        -> Outcome
    {
        var texts: [Field: String] = [.title: content.title, .lead: content.lead, .body: content.body]
        var outcome = Outcome()
        for replacement in replacements {
            var perField: [(Field, Int)] = []
            for field in fields {
                let text = texts[field]!
                let count = text.ranges(of: replacement.old).count
                guard count > 0 else { continue }
                texts[field] = text.replacing(replacement.old, with: replacement.new)
                perField.append((field, count))
            }
            guard !perField.isEmpty else {
                let names = fields.map(\.rawValue)
                let places =
                    names.count < 2 ? names.joined() : names.dropLast().joined(separator: ", ") + " or " + names.last!
                throw WorkflowError.invalidInput(
                    "\"\(replacement.old)\" is nowhere in the \(places) of the article "
                        + "(replacing is exact: case and spelling); nothing was written")
            }
            outcome.counts.append((replacement, perField))
        }
        if texts[.title] != content.title { outcome.changes.title = texts[.title] }
        if texts[.lead] != content.lead { outcome.changes.lead = texts[.lead] }
        if texts[.body] != content.body { outcome.changes.body = texts[.body] }
        return outcome
    }

    /// `"Асхад" → "Асхат": 1 replacement (body)`, one line per `--replace`.
    static func summary(_ outcome: Outcome) -> String {
        outcome.counts.map { replacement, perField in
            let total = perField.reduce(0) { $0 + $1.1 }
            let places = perField.map { field, count in
                perField.count == 1 ? field.rawValue : "\(count) in \(field.rawValue)"
            }
            return TerminalText.line("\"\(replacement.old)\" → \"\(replacement.new)\": ")
                + Output.count(total, "replacement") + " (\(places.joined(separator: ", ")))"
        }.joined(separator: "\n")
    }
}
