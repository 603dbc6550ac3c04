import Testing

@testable import copydesk

@Suite("Terminal text: user text is shown, never obeyed")
struct TerminalTextTests {
    static let controls: [Unicode.Scalar] = {
        let values: [UInt32] =
            Array(0x00...0x1F) + Array(0x7F...0x9F) + [0x061C, 0x200E, 0x200F, 0x2028, 0x2029]
            + Array(0x202A...0x202E) + Array(0x2066...0x2069)
        return values.map { Unicode.Scalar($0)! }
    }()

    @Test("every C0, C1, DEL, line separator and bidi control is shown as a visible escape")
    func everyControlIsEscaped() {
        for scalar in Self.controls {
            let shown = TerminalText.line("a" + String(scalar) + "b")
            #expect(shown.hasPrefix("a\\") && shown.hasSuffix("b"), "U+\(String(scalar.value, radix: 16))")
            #expect(shown.unicodeScalars.allSatisfy { (0x20..<0x7F).contains($0.value) }, "U+\(String(scalar.value, radix: 16))")
        }
    }

    @Test("the common ones read as escapes people know", arguments: [
        ("\u{1B}[2K", #"\e[2K"#), ("a\rb", #"a\rb"#), ("a\nb", #"a\nb"#), ("a\tb", #"a\tb"#),
        ("\u{7F}", #"\u{7F}"#), ("\u{9B}31m", #"\u{9B}31m"#), ("\u{0}", #"\u{00}"#), ("\u{202E}abc", #"\u{202E}abc"#),
        ("\u{2066}x\u{2069}", #"\u{2066}x\u{2069}"#), ("a\r\nb", #"a\r\nb"#),
    ])
    func knownEscapes(input: String, shown: String) {
        #expect(TerminalText.line(input) == shown)
    }

    @Test("ordinary text passes through unchanged: Cyrillic, emoji with joiners, combining marks, backslashes")
    func ordinaryTextUnchanged() {
        for text in [
            "Консул ушёл в отставку", "Ёлка, «кавычки» — тире…", "👩🏽‍💻 👨‍👩‍👧‍👦 🇷🇺", "e\u{301}te\u{301} й", "C:\\path \\e",
            "ملاحظة", "→ ⏎", "",
        ] {
            #expect(TerminalText.line(text) == text)
            #expect(TerminalText.paragraphs(text) == text)
        }
    }

    @Test("paragraphs keep line feeds and tabs, print CR LF as a line feed, and show every other control")
    func paragraphsKeepLineBreaks() {
        #expect(TerminalText.paragraphs("Первый\n\nвторой\tабзац") == "Первый\n\nвторой\tабзац")
        #expect(TerminalText.paragraphs("one\r\ntwo") == "one\ntwo")
        #expect(TerminalText.paragraphs("one\rtwo\u{1B}[2K\u{202E}") == #"one\rtwo\e[2K\u{202E}"#)
        #expect(TerminalText.paragraphs("a\u{2028}b") == #"a\u{2028}b"#)
    }

    @Test("escaping twice changes nothing, so writers may escape a cell that is escaped already")
    func idempotent() {
        let once = TerminalText.line("x\n\u{1B}[31m\u{202E}y")
        #expect(TerminalText.line(once) == once)
    }
}
