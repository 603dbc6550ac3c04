/// Reads a seed file one line at a time, leaving the rest untouched for the body.
///
/// Works on UTF-8 offsets rather than `Character`s so that line breaks are found exactly where the bytes are, and
/// the body is the original text from the cut onwards.
struct SeedLines {
    private let text: String
    private var position: String.Index
    /// Set once the last line (the one without a `\n`) has been read.
    private var finished = false
    /// The 1-based number of the next line to read.
    private(set) var lineNumber = 1

    init(_ text: String) {
        self.text = text
        self.position = text.startIndex
    }

    /// The next line without its `\n`, or an error naming what was expected when the file has no more lines.
    mutating func next(expecting expected: String) throws(SeedFormatError) -> String {
        if finished {
            throw SeedFormatError(line: lineNumber, message: "expected \(expected), found the end of the file")
        }
        let line: String
        if let newline = text.utf8[position...].firstIndex(of: 0x0A) {
            line = String(text[position..<newline])
            position = text.utf8.index(after: newline)
        } else {
            line = String(text[position...])
            position = text.endIndex
            finished = true
        }
        lineNumber += 1
        return line
    }

    /// Everything not read yet, exactly as it is in the file.
    var rest: String {
        String(text[position...])
    }
}
