import Editorial
import Foundation
import Testing

@Suite("Word diff")
struct WordDiffTests {
    @Test("a changed word shows as removed then added, between the unchanged words")
    func oneWord() {
        #expect(WordDiff.segments(from: "the quick brown fox", to: "the slow brown fox") == [
            DiffSegment(kind: .same, text: "the "), DiffSegment(kind: .removed, text: "quick"),
            DiffSegment(kind: .added, text: "slow"), DiffSegment(kind: .same, text: " brown fox"),
        ])
        #expect(WordDiff.segments(from: "Консул прибыл.", to: "Консул прибыл вчера.") == [
            DiffSegment(kind: .same, text: "Консул прибыл"), DiffSegment(kind: .added, text: " вчера"),
            DiffSegment(kind: .same, text: "."),
        ])
    }

    @Test("equal texts are one unchanged segment; empty sides are all added or all removed")
    func edges() {
        #expect(WordDiff.segments(from: "same text", to: "same text") == [DiffSegment(kind: .same, text: "same text")])
        #expect(WordDiff.segments(from: "", to: "").isEmpty)
        #expect(WordDiff.segments(from: "", to: "new") == [DiffSegment(kind: .added, text: "new")])
        #expect(WordDiff.segments(from: "old", to: "") == [DiffSegment(kind: .removed, text: "old")])
    }

    @Test("tokens join back into the text exactly", arguments: Samples.texts)
    func tokensRejoin(_ text: String) {
        #expect(Array(WordDiff.tokens(text).joined().utf8) == Array(text.utf8))
    }

    @Test("same+removed gives the old text and same+added the new one, for many random edits")
    func exactProperty() {
        var random = SplitMix64(seed: 2026)
        for round in 0..<400 {
            let old = Samples.randomText(using: &random)
            let new = round.isMultiple(of: 5) ? Samples.randomText(using: &random) : Samples.edit(old, using: &random)
            Self.expectExact(old, new)
        }
        for old in Samples.texts {
            for new in Samples.texts { Self.expectExact(old, new) }
        }
    }

    @Test("canonically equivalent spellings are still a change: the diff keeps the bytes")
    func canonicalEquivalence() {
        let precomposed = "café au lait"
        let decomposed = "cafe\u{301} au lait"
        let segments = WordDiff.segments(from: precomposed, to: decomposed)
        #expect(segments.contains { $0.kind != .same })
        Self.expectExact(precomposed, decomposed)
    }

    @Test("a 1 MB body with scattered edits, and one rewritten wholesale, diff quickly and exactly")
    func largeBody() {
        var random = SplitMix64(seed: 7)
        var paragraphs: [String] = []
        var size = 0
        while size < 1_000_000 {
            let paragraph = Samples.randomText(using: &random, words: 40, newlines: false)
            paragraphs.append(paragraph)
            size += paragraph.utf8.count + 2
        }
        let old = paragraphs.joined(separator: "\n\n")
        var edited = paragraphs
        for index in stride(from: 3, to: edited.count, by: edited.count / 12) {
            edited[index] = Samples.edit(edited[index], using: &random)
        }
        let new = edited.joined(separator: "\n\n")
        let rewritten = String(old.reversed())

        // Debug builds are many times slower than release, where this takes a small fraction of a second.
        #if DEBUG
            let limit: Duration = .seconds(20)
        #else
            let limit: Duration = .seconds(1)
        #endif
        for target in [new, rewritten] {
            var segments: [DiffSegment] = []
            let elapsed = ContinuousClock().measure { segments = WordDiff.segments(from: old, to: target) }
            #expect(elapsed < limit, "diffing 1 MB took \(elapsed)")
            #expect(Self.side(segments, .removed) == old)
            #expect(Self.side(segments, .added) == target)
        }
    }

    /// Checks the exactness property and that no two neighbours share a kind.
    static func expectExact(_ old: String, _ new: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let segments = WordDiff.segments(from: old, to: new)
        #expect(Array(side(segments, .removed).utf8) == Array(old.utf8), sourceLocation: sourceLocation)
        #expect(Array(side(segments, .added).utf8) == Array(new.utf8), sourceLocation: sourceLocation)
        #expect(zip(segments, segments.dropFirst()).allSatisfy { $0.kind != $1.kind }, sourceLocation: sourceLocation)
        #expect(segments.allSatisfy { !$0.text.isEmpty }, sourceLocation: sourceLocation)
    }

    /// One side of the diff: the unchanged text with the given kind's text.
    static func side(_ segments: [DiffSegment], _ kind: DiffKind) -> String {
        segments.filter { $0.kind == .same || $0.kind == kind }.map(\.text).joined()
    }
}

/// Texts and edits to diff: Latin, Cyrillic, emoji (with joiners and skin tones), combining marks, line breaks.
enum Samples {
    static let words = [
        "the", "harbour", "reopens", "after", "two", "years", "of", "works", "Консул", "Асхат", "Сыздыков",
        "провел", "встречу", "Волгоград", "👩‍👩‍👧", "👍🏽", "🇰🇿", "e\u{301}", "café", "naïve", "2014", "42", "—", "«",
        "»", "...", ",", ".", "!?", "\t", "\r\n", "\n\n", "  ", "x",
    ]

    static let texts = [
        "", " ", "\n", "word", "Консул прибыл.", "«Ёлка» — 🎄!", "👩‍👩‍👧 family 👍🏽 ok", "a\r\nb\r\n",
        "Пролог.\n\nГлава первая: «Начало».\n\nГлава вторая — конец…", "e\u{301}e\u{301} é", "  leading and trailing  ",
        "🇰🇿🇷🇺", "tabs\tand\ttabs", "a,b;c:d", "x", "x y", "y x",
    ]

    static func randomText(using random: inout SplitMix64, words count: Int? = nil, newlines: Bool = true) -> String {
        let length = count ?? Int.random(in: 0...30, using: &random)
        var text = ""
        for _ in 0..<length {
            var word = words.randomElement(using: &random) ?? "x"
            if !newlines, word.contains(where: \.isNewline) { word = "word" }
            text += word + (Bool.random(using: &random) ? " " : "")
        }
        return text
    }

    /// The text with a few words replaced, inserted or deleted.
    static func edit(_ text: String, using random: inout SplitMix64) -> String {
        var tokens = WordDiff.tokens(text).map(String.init)
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            let word = words.randomElement(using: &random) ?? "x"
            let position = Int.random(in: 0...tokens.count, using: &random)
            switch Int.random(in: 0..<3, using: &random) {
            case 0 where position < tokens.count: tokens[position] = word
            case 1 where position < tokens.count: tokens.remove(at: position)
            default: tokens.insert(word, at: position)
            }
        }
        return tokens.joined()
    }
}

/// A small seeded generator, so a failing case can be run again.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Word diff as a reader sees it: folded context and rewritten fields")
struct WordDiffFoldingTests {
    static let paragraph = "Андрей Бочаров, глава Волгоградской области, провел 9 мая рабочую встречу с консулом."

    @Test("a one-word fix in a long text keeps a few words of its paragraph around it and folds the rest")
    func foldsAroundAChange() {
        let old = Self.paragraph + "\n\nАсхад Сыздыков сказал о своей готовности оказывать содействие.\n\n" + Self.paragraph
        let new = old.replacingOccurrences(of: "Асхад", with: "Асхат")
        let pieces = WordDiff.folded(WordDiff.segments(from: old, to: new), context: 3)
        #expect(pieces == [
            .folded(text: Self.paragraph + "\n\n"),
            .shown(DiffSegment(kind: .removed, text: "Асхад")), .shown(DiffSegment(kind: .added, text: "Асхат")),
            .shown(DiffSegment(kind: .same, text: " Сыздыков сказал о")),
            .folded(text: " своей готовности оказывать содействие.\n\n" + Self.paragraph),
        ])
    }

    @Test("context stops at a line break, keeps the punctuation after a word, and short stretches stay whole")
    func contextEdges() {
        let segments = [
            DiffSegment(kind: .same, text: "one two three four five six, seven"),
            DiffSegment(kind: .added, text: "!"),
            DiffSegment(kind: .same, text: " eight nine.\nten eleven twelve thirteen"),
        ]
        #expect(WordDiff.folded(segments, context: 2) == [
            .folded(text: "one two three four five "), .shown(DiffSegment(kind: .same, text: "six, seven")),
            segments[1].asPiece, .shown(DiffSegment(kind: .same, text: " eight nine.")),
            .folded(text: "\nten eleven twelve thirteen"),
        ])
        #expect(WordDiff.folded(segments, context: 10) == segments.map(\.asPiece))
        let unchanged = [DiffSegment(kind: .same, text: "nothing changed here at all, no")]
        #expect(WordDiff.folded(unchanged, context: 1) == [.folded(text: "nothing changed here at all, no")])
    }

    @Test("a headline rewritten for the most part is a rewrite; a changed word or two is not")
    func rewritten() {
        let rewritten = WordDiff.segments(from: "Консул посетил Волгоград", to: "Волгоград принял гостей из Казахстана")
        #expect(WordDiff.isMostlyRewritten(rewritten))
        #expect(WordDiff.oldText(rewritten) == "Консул посетил Волгоград")
        #expect(WordDiff.newText(rewritten) == "Волгоград принял гостей из Казахстана")
        #expect(!WordDiff.isMostlyRewritten(WordDiff.segments(from: "Harbour reopens", to: "Harbour reopened")))
        #expect(!WordDiff.isMostlyRewritten(WordDiff.segments(from: "same words", to: "same words")))
        #expect(WordDiff.isMostlyRewritten(WordDiff.segments(from: "", to: "All new")))
    }
}

extension DiffSegment {
    fileprivate var asPiece: DiffPiece { .shown(self) }
}
