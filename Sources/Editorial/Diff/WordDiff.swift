/// Whether a piece of text is in both versions, only the old one, or only the new one.
public enum DiffKind: String, Sendable, Hashable, Codable {
    /// In both versions.
    case same
    /// Only in the new version.
    case added
    /// Only in the old version.
    case removed
}

/// A run of text of one kind; adjacent segments never share a kind.
public struct DiffSegment: Sendable, Hashable, Codable {
    /// Whether the text is kept, added or removed.
    public var kind: DiffKind
    /// The text, exactly as written.
    public var text: String

    /// Creates a segment.
    public init(kind: DiffKind, text: String) {
        self.kind = kind
        self.text = text
    }
}

/// A word-by-word diff of two texts, like `git diff --word-diff`.
///
/// Exact: the `same` and `removed` segments concatenated give the old text, `same` and `added` the new one, byte
/// for byte (tokens are compared by their UTF-8, not by Unicode canonical equivalence as `String ==` does).
public enum WordDiff {
    /// The largest edit distance handed to `CollectionDifference`, whose Myers implementation keeps every round's
    /// frontier and so needs memory quadratic in the distance. Beyond it we diff coarser pieces or give up.
    static let maximumEdits = 1500

    /// The segments that turn `old` into `new`.
    public static func segments(from old: String, to new: String) -> [DiffSegment] {
        var output = SegmentBuilder()
        diff(tokens(old)[...], tokens(new)[...], into: &output, byLines: true)
        return output.segments
    }

    /// The text cut into words, whitespace runs and punctuation runs; joined again they give the text back exactly.
    public static func tokens(_ text: String) -> [Substring] {
        var tokens: [Substring] = []
        var start = text.startIndex
        var current: TokenClass?
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(after: index)
            let kind = TokenClass(text[index])
            if let current, current != kind {
                tokens.append(text[start..<index])
                start = index
            }
            current = kind
            index = next
        }
        if start < text.endIndex { tokens.append(text[start...]) }
        return tokens
    }

    /// Diffs two token runs: common ends first (cheap, and most edits are local), then the middle with Myers when
    /// it is close enough, else line by line (each changed block of lines diffed word by word), else wholesale.
    private static func diff(
        _ old: ArraySlice<Substring>, _ new: ArraySlice<Substring>, into output: inout SegmentBuilder, byLines: Bool
    ) {
        let prefix = zip(old, new).prefix { same($0, $1) }.count
        var oldMiddle = old.dropFirst(prefix)
        var newMiddle = new.dropFirst(prefix)
        let suffix = zip(oldMiddle.reversed(), newMiddle.reversed()).prefix { same($0, $1) }.count
        oldMiddle = oldMiddle.dropLast(suffix)
        newMiddle = newMiddle.dropLast(suffix)

        output.append(.same, old.prefix(prefix))
        if oldMiddle.isEmpty || newMiddle.isEmpty {
            output.append(.removed, oldMiddle)
            output.append(.added, newMiddle)
        } else if editDistance(oldMiddle, newMiddle, atMost: maximumEdits) != nil {
            myers(oldMiddle, newMiddle, into: &output) { output, old, new in
                output.append(.removed, old)
                output.append(.added, new)
            }
        } else if byLines, let oldLines = lines(oldMiddle), let newLines = lines(newMiddle),
            editDistance(oldLines.texts, newLines.texts, atMost: maximumEdits) != nil
        {
            myers(oldLines.texts, newLines.texts, into: &output) { output, removed, added in
                // A changed block of lines: diff its words, but not by lines again.
                diff(oldLines.tokens(of: removed), newLines.tokens(of: added), into: &output, byLines: false)
            } same: { output, kept in
                output.append(.same, oldLines.tokens(of: kept))
            }
        } else {
            output.append(.removed, oldMiddle)
            output.append(.added, newMiddle)
        }
        output.append(.same, old.suffix(suffix))
    }

    /// Runs `CollectionDifference` and reports its kept elements and its changed blocks (removed, then added).
    private static func myers(
        _ old: ArraySlice<Substring>, _ new: ArraySlice<Substring>, into output: inout SegmentBuilder,
        changed: (inout SegmentBuilder, ArraySlice<Substring>, ArraySlice<Substring>) -> Void,
        same: ((inout SegmentBuilder, ArraySlice<Substring>) -> Void)? = nil
    ) {
        let difference = new.difference(from: old, by: Self.same)
        var removed = Set<Int>()
        var inserted = Set<Int>()
        for change in difference {
            switch change {
            case .remove(let offset, _, _): removed.insert(offset)
            case .insert(let offset, _, _): inserted.insert(offset)
            }
        }
        var (i, j) = (0, 0)
        let (oldBase, newBase) = (old.startIndex, new.startIndex)
        while i < old.count || j < new.count {
            let (blockI, blockJ) = (i, j)
            while i < old.count, removed.contains(i) { i += 1 }
            while j < new.count, inserted.contains(j) { j += 1 }
            if i > blockI || j > blockJ {
                changed(&output, old[(oldBase + blockI)..<(oldBase + i)], new[(newBase + blockJ)..<(newBase + j)])
                continue
            }
            // Neither side changes here, so both sides hold the same element.
            let keptStart = i
            while i < old.count, j < new.count, !removed.contains(i), !inserted.contains(j) { (i, j) = (i + 1, j + 1) }
            if i == keptStart {
                // Unreachable for a correct difference; never loop forever on one that is not.
                changed(&output, old[(oldBase + i)...], new[(newBase + j)...])
                return
            }
            let kept = old[(oldBase + keptStart)..<(oldBase + i)]
            if let same { same(&output, kept) } else { output.append(.same, kept) }
        }
    }

    /// The Myers edit distance (insertions plus deletions), or nil when it exceeds `limit`.
    ///
    /// Linear memory and, for texts that differ a lot, about `limit²` steps, so it is a cheap test before
    /// `CollectionDifference`, which would need memory quadratic in the distance.
    static func editDistance(_ old: ArraySlice<Substring>, _ new: ArraySlice<Substring>, atMost limit: Int) -> Int? {
        let (n, m) = (old.count, new.count)
        let bound = min(limit, n + m)
        let (oldBase, newBase) = (old.startIndex, new.startIndex)
        var frontier = [Int](repeating: 0, count: 2 * bound + 3)
        let offset = bound + 1
        for d in 0...bound {
            for k in stride(from: -d, through: d, by: 2) {
                var x =
                    k == -d || (k != d && frontier[offset + k - 1] < frontier[offset + k + 1])
                    ? frontier[offset + k + 1] : frontier[offset + k - 1] + 1
                var y = x - k
                while x < n, y < m, same(old[oldBase + x], new[newBase + y]) { (x, y) = (x + 1, y + 1) }
                frontier[offset + k] = x
                if x >= n, y >= m { return d }
            }
        }
        return nil
    }

    /// Tokens grouped into lines (each ends after a token holding a line break), or nil for a single line.
    private static func lines(_ tokens: ArraySlice<Substring>) -> Lines? {
        var ranges: [Range<Int>] = []
        var start = tokens.startIndex
        for index in tokens.indices where tokens[index].contains(where: \.isNewline) {
            ranges.append(start..<(index + 1))
            start = index + 1
        }
        if start < tokens.endIndex { ranges.append(start..<tokens.endIndex) }
        return ranges.count > 1 ? Lines(tokens: tokens, ranges: ranges) : nil
    }

    /// Tokens are equal when their bytes are: `String ==` would call "é" and "e\u{301}" the same.
    private static func same(_ a: Substring, _ b: Substring) -> Bool {
        a.utf8.elementsEqual(b.utf8)
    }
}

/// Tokens cut into lines, with each line's text for comparing whole lines.
private struct Lines {
    let tokens: ArraySlice<Substring>
    let ranges: [Range<Int>]
    let texts: ArraySlice<Substring>

    init(tokens: ArraySlice<Substring>, ranges: [Range<Int>]) {
        self.tokens = tokens
        self.ranges = ranges
        texts = ranges.map { range in
            // Consecutive tokens are contiguous in their string, so one slice spans the line.
            let (first, last) = (tokens[range.lowerBound], tokens[range.upperBound - 1])
            return first.base[first.startIndex..<last.endIndex]
        }[...]
    }

    /// The tokens of a block of lines, given as a slice of `texts`.
    func tokens(of block: ArraySlice<Substring>) -> ArraySlice<Substring> {
        guard !block.isEmpty else { return [] }
        return tokens[ranges[block.startIndex].lowerBound..<ranges[block.endIndex - 1].upperBound]
    }
}

/// The class of a character for tokenizing: a run of one class is one token.
private enum TokenClass {
    case word, space, punctuation

    init(_ character: Character) {
        if character.isLetter || character.isNumber {
            self = .word
        } else if character.isWhitespace {
            self = .space
        } else {
            self = .punctuation
        }
    }
}

/// Collects segments, merging each into the previous one when they share a kind.
private struct SegmentBuilder {
    var segments: [DiffSegment] = []

    mutating func append(_ kind: DiffKind, _ tokens: ArraySlice<Substring>) {
        guard let first = tokens.first, let last = tokens.last else { return }
        // Consecutive tokens are contiguous in their string, so one slice covers them all.
        let text = String(first.base[first.startIndex..<last.endIndex])
        if let previous = segments.last, previous.kind == kind {
            segments[segments.count - 1].text += text
        } else {
            segments.append(DiffSegment(kind: kind, text: text))
        }
    }
}

/// A piece of a diff as a reader sees it: a segment shown, or unchanged text folded away.
public enum DiffPiece: Sendable, Hashable {
    /// A segment shown as it is (unchanged context, or a change).
    case shown(DiffSegment)
    /// Unchanged text left out; `text` is what was left out, so a reader can say how much or where lines break.
    case folded(text: String)
}

extension WordDiff {
    /// The diff with unchanged stretches folded down to `context` words beside each change, as `git diff` keeps a
    /// few lines around each hunk. Context never reaches across a line break, so each change is shown within its
    /// own paragraph; text before the first change and after the last keeps only the side next to a change. A
    /// stretch is folded only when that hides more than `context` words.
    public static func folded(_ segments: [DiffSegment], context: Int) -> [DiffPiece] {
        var pieces: [DiffPiece] = []
        for (index, segment) in segments.enumerated() {
            guard segment.kind == .same else {
                pieces.append(.shown(segment))
                continue
            }
            let tokens = WordDiff.tokens(segment.text)
            let changeBefore = index > 0
            let changeAfter = index < segments.count - 1
            let head = changeBefore ? contextCount(tokens, words: context) : 0
            let tail = changeAfter ? contextCount(tokens.reversed(), words: context) : 0
            let hidden = tokens.dropFirst(head).dropLast(tail)
            // Folding a few words away would save nothing and hide the sentence the change is in.
            guard hidden.count(where: { TokenClass($0.first!) == .word }) > context else {
                pieces.append(.shown(segment))
                continue
            }
            let joined = { (slice: ArraySlice<Substring>) in slice.joined() }
            if head > 0 { pieces.append(.shown(DiffSegment(kind: .same, text: joined(tokens.prefix(head))))) }
            pieces.append(.folded(text: joined(hidden)))
            if tail > 0 { pieces.append(.shown(DiffSegment(kind: .same, text: joined(tokens.suffix(tail))))) }
        }
        return pieces
    }

    /// How many of `tokens`, from the change outwards, hold `words` words (with the punctuation that follows them
    /// but not the space after), stopping before a line break.
    private static func contextCount<Tokens: Collection<Substring>>(_ tokens: Tokens, words: Int) -> Int {
        var count = 0
        var kept = 0
        var seen = 0
        for token in tokens {
            let kind = TokenClass(token.first!)
            if token.contains(where: \.isNewline) || (kind == .word && seen == words) { break }
            if kind == .word { seen += 1 }
            count += 1
            if kind != .space { kept = count }
        }
        return kept
    }

    /// True when less than half of the field's words survive, so that the old and the new text read better
    /// whole ("was" / "now") than as a run of removed and added word pairs.
    public static func isMostlyRewritten(_ segments: [DiffSegment]) -> Bool {
        func words(_ kinds: Set<DiffKind>) -> Int {
            segments.filter { kinds.contains($0.kind) }.reduce(0) { total, segment in
                total + tokens(segment.text).count { TokenClass($0.first!) == .word }
            }
        }
        guard segments.contains(where: { $0.kind != .same }) else { return false }
        let kept = words([.same])
        let longer = max(words([.same, .removed]), words([.same, .added]))
        return longer > 0 && kept * 2 < longer
    }

    /// The old side of a diff (unchanged and removed text).
    public static func oldText(_ segments: [DiffSegment]) -> String {
        segments.filter { $0.kind != .added }.map(\.text).joined()
    }

    /// The new side of a diff (unchanged and added text).
    public static func newText(_ segments: [DiffSegment]) -> String {
        segments.filter { $0.kind != .removed }.map(\.text).joined()
    }
}
