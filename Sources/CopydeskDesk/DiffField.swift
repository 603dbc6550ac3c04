import Copydesk
import Editorial

/// One field of a word diff as pages show it: insertions and deletions marked with `ins`/`del`
/// and with bracketed text for readers who cannot tell colours apart; long unchanged stretches folded.
struct DiffField {
    struct Segment {
        let text: String
        let isSame: Bool
        let isAdded: Bool
        let isRemoved: Bool
        /// For a long unchanged stretch: its start, how much is folded, and its end.
        let folded: Folded?
    }

    struct Folded {
        let head: String
        let hidden: String
        let tail: String
        let hiddenCount: Int
    }

    let field: String
    let changed: Bool
    let segments: [Segment]

    /// Unchanged text longer than this is folded, keeping `context` characters on each side.
    static let foldAbove = 240
    static let context = 80

    init(_ diff: FieldDiff) {
        field = diff.field
        changed = diff.changed
        let last = diff.segments.count - 1
        segments = diff.segments.enumerated().map { index, segment in
            let isSame = segment.kind == .same
            var folded: Folded?
            if isSame, segment.text.count > Self.foldAbove {
                // Keep context only next to a change: none before the first change, none after the last.
                folded = Self.fold(segment.text, keepHead: index > 0, keepTail: index < last)
            }
            return Segment(
                text: segment.text, isSame: isSame && folded == nil, isAdded: segment.kind == .added,
                isRemoved: segment.kind == .removed, folded: folded)
        }
    }

    /// Splits a long unchanged text into the context kept beside the changes and the folded middle,
    /// cutting at spaces so that no word is split.
    static func fold(_ text: String, keepHead: Bool, keepTail: Bool) -> Folded {
        var head = keepHead ? String(text.prefix(context)) : ""
        if keepHead, let space = head.lastIndex(of: " ") { head = String(head[...space]) }
        var tail = keepTail ? String(text.suffix(context)) : ""
        if keepTail, let space = tail.firstIndex(of: " ") { tail = String(tail[space...]) }
        let hidden = String(text.dropFirst(head.count).dropLast(tail.count))
        return Folded(head: head, hidden: hidden, tail: tail, hiddenCount: hidden.count)
    }
}
