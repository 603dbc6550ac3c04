import Foundation

extension SeedArticle {
    /// Reads a seed file's raw bytes, refusing bytes that are not UTF-8 with the line they are on.
    public static func parse(utf8 data: Data) throws(SeedFormatError) -> SeedArticle {
        var bytes = data.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var line = 1
        decoding: while true {
            switch parser.parseScalar(from: &bytes) {
            case .valid(let scalar):
                if scalar.count == 1, scalar.first == 0x0A {
                    line += 1
                }
            case .error:
                throw SeedFormatError(line: line, message: "the file is not valid UTF-8; save it as UTF-8")
            case .emptyInput:
                break decoding
            }
        }
        return try parse(String(decoding: data, as: UTF8.self))
    }

    /// Reads a seed file's text.
    ///
    /// A byte-order mark or a carriage return anywhere is an error rather than something quietly stripped: import
    /// keeps every character, so the file must already be exactly what should be stored.
    public static func parse(_ text: String) throws(SeedFormatError) -> SeedArticle {
        if text.unicodeScalars.first == "\u{FEFF}" {
            throw SeedFormatError(
                line: 1, message: "the file starts with a byte-order mark (U+FEFF); save it as UTF-8 without BOM"
            )
        }
        if let carriageReturn = text.utf8.firstIndex(of: 0x0D) {
            let line = text.utf8[..<carriageReturn].count(where: { $0 == 0x0A }) + 1
            throw SeedFormatError(
                line: line, message: "found a carriage return (\\r); seed files use \\n line endings only"
            )
        }
        var lines = SeedLines(text)
        let title = try lines.next(expecting: "the title")
        if title.isBlank {
            let found = text.isEmpty ? "an empty file" : quoted(title)
            throw SeedFormatError(line: 1, message: "expected the title, found \(found)")
        }
        try expectEmpty(lines.next(expecting: "a blank line after the title"), line: 2, after: "the title")
        let (section, originalDate) = try dateline(lines.next(expecting: "\"<section> >> DD.MM.YYYY\""))
        let repeated = try lines.next(expecting: "the title again")
        // Compared by bytes: String equality would accept a differently normalised title, and import keeps bytes.
        if !repeated.utf8.elementsEqual(title.utf8) {
            throw SeedFormatError(
                line: 4, message: "expected the title again (\(quoted(title))), found \(quoted(repeated))"
            )
        }
        let lead = try lines.next(expecting: "the lead paragraph")
        if lead.isBlank {
            throw SeedFormatError(line: 5, message: "expected the lead paragraph, found \(quoted(lead))")
        }
        try expectEmpty(lines.next(expecting: "a blank line after the lead"), line: 6, after: "the lead")
        let body = lines.rest
        if body.isBlank {
            let found = body.isEmpty ? "the end of the file" : "only whitespace"
            throw SeedFormatError(line: 7, message: "expected the body paragraphs, found \(found)")
        }
        return SeedArticle(title: title, section: section, lead: lead, body: body, originalDate: originalDate)
    }

    /// Splits line 3, `<section> >> DD.MM.YYYY`, into the section and the ISO date.
    private static func dateline(_ line: String) throws(SeedFormatError) -> (section: String, date: String) {
        let expected = "expected \"<section> >> DD.MM.YYYY\", found \(quoted(line))"
        guard let separator = line.range(of: " >> ", options: [.backwards, .literal]) else {
            throw SeedFormatError(line: 3, message: expected)
        }
        let section = String(line[..<separator.lowerBound])
        let dateText = line[separator.upperBound...]
        if section.isBlank {
            throw SeedFormatError(line: 3, message: "expected a section name before \" >> \", found \(quoted(line))")
        }
        let parts = dateText.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 2, parts[1].count == 2, parts[2].count == 4,
            let day = CalendarDay.digits(parts[0]), let month = CalendarDay.digits(parts[1]),
            let year = CalendarDay.digits(parts[2])
        else {
            throw SeedFormatError(line: 3, message: expected)
        }
        guard let date = CalendarDay(year: year, month: month, day: day) else {
            throw SeedFormatError(
                line: 3, message: "\(quoted(String(dateText))) is not a real date (expected DD.MM.YYYY)"
            )
        }
        return (section, date.iso)
    }

    private static func expectEmpty(_ line: String, line number: Int, after what: String) throws(SeedFormatError) {
        if !line.isEmpty {
            throw SeedFormatError(
                line: number, message: "expected a blank line after \(what), found \(quoted(line))"
            )
        }
    }

    /// The text in quotes, cut short so one long paragraph cannot flood an error message.
    static func quoted(_ text: String) -> String {
        let limit = 60
        return text.count <= limit ? "\"\(text)\"" : "\"\(text.prefix(limit))…\""
    }
}
