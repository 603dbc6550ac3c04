import Copydesk
import Editorial

/// An `ArticleDiff` as `copydesk diff` prints it for a person.
///
/// Only the colours are escape sequences of ours: the text's own control characters are shown through
/// `TerminalText`, and line breaks are kept only in the fields that are prose (lead and body).
struct DiffText {
    /// Red and green (on a terminal without NO_COLOR), else `git diff --word-diff` markers.
    var colored: Bool
    /// Words of unchanged text kept beside each change; nil shows unchanged text in full.
    var context: Int?

    /// A header line, each changed field labelled with its diff, then the unchanged fields on one line.
    func render(_ diff: ArticleDiff) -> String {
        var blocks = ["article \(diff.id.lowercased): version \(diff.from) → version \(diff.to)"]
        for field in diff.fields where field.changed {
            blocks.append(render(field))
        }
        let unchanged = diff.fields.filter { !$0.changed }.map(\.field)
        if unchanged.count == diff.fields.count {
            blocks.append("no change to the text")
        } else if !unchanged.isEmpty {
            blocks.append("unchanged: " + unchanged.joined(separator: ", "))
        }
        return blocks.joined(separator: "\n\n")
    }

    /// One changed field: "was" and "now" when it was mostly rewritten, else its word diff.
    func render(_ field: FieldDiff) -> String {
        let multiline = field.field == "lead" || field.field == "body"
        if WordDiff.isMostlyRewritten(field.segments) {
            let was = shown(WordDiff.oldText(field.segments), multiline: multiline)
            let now = shown(WordDiff.newText(field.segments), multiline: multiline)
            let (oldText, newText) = (paint(was, .removed), paint(now, .added))
            return multiline
                ? "\(field.field), rewritten:\nwas:\n\(oldText)\nnow:\n\(newText)"
                : "\(field.field), rewritten:\nwas: \(oldText)\nnow: \(newText)"
        }
        let pieces = context.map { WordDiff.folded(field.segments, context: $0) } ?? field.segments.map(DiffPiece.shown)
        var text = ""
        for (index, piece) in pieces.enumerated() {
            switch piece {
            case .shown(let segment):
                text += render(segment, multiline: multiline)
            case .folded(let hidden):
                // A fold across a paragraph puts the changes on either side on lines of their own.
                let acrossLines = multiline && hidden.contains(where: \.isNewline)
                let before = index == 0 ? "" : acrossLines ? "\n" : " "
                let after = index == pieces.count - 1 ? "" : acrossLines ? "\n" : " "
                text += before + "…" + after
            }
        }
        return "\(field.field):\n" + text
    }

    /// One segment: unchanged text as it is, a change marked. A line break in a change shows as ↵ rather than
    /// breaking the line, so no line is broken in the output where the new text has no break.
    func render(_ segment: DiffSegment, multiline: Bool = true) -> String {
        let text = shown(segment.text, multiline: multiline && segment.kind == .same)
        guard segment.kind != .same else { return text }
        return paint(text, segment.kind)
    }

    private func shown(_ text: String, multiline: Bool) -> String {
        multiline ? TerminalText.paragraphs(text) : TerminalText.lineMarkingBreaks(text)
    }

    private func paint(_ text: String, _ kind: DiffKind) -> String {
        switch (kind, colored) {
        case (.same, _): text
        case (.removed, true): "\u{1B}[31;9m\(text)\u{1B}[0m"
        case (.added, true): "\u{1B}[32m\(text)\u{1B}[0m"
        case (.removed, false): "[-\(text)-]"
        case (.added, false): "{+\(text)+}"
        }
    }
}
