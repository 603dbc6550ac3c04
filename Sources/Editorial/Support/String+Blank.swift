extension String {
    /// True when the string holds nothing but whitespace and newlines, which the workflow treats as missing.
    var isBlank: Bool {
        allSatisfy { $0.isWhitespace || $0.isNewline }
    }

    /// The string with line breaks turned into spaces, so a refusal always prints as one line.
    var singleLine: String {
        String(map { $0.isNewline ? " " : $0 })
    }
}
