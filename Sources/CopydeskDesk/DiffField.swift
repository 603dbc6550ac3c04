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
        segments = diff.segments.map { segment in
            let isSame = segment.kind == .same
            var folded: Folded?
            if isSame, segment.text.count > Self.foldAbove {
                let text = segment.text
                let head = String(text.prefix(Self.context))
                let tail = String(text.suffix(Self.context))
                let hidden = String(text.dropFirst(Self.context).dropLast(Self.context))
                folded = Folded(head: head, hidden: hidden, tail: tail, hiddenCount: hidden.count)
            }
            return Segment(
                text: segment.text, isSame: isSame && folded == nil, isAdded: segment.kind == .added,
                isRemoved: segment.kind == .removed, folded: folded)
        }
    }
}
