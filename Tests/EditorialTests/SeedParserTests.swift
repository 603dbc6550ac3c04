import Editorial
import Foundation
import Testing

@Suite("Seed file parser")
struct SeedParserTests {
    static let sampleURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("seeds/000_5f9bf97b76e61b5f.txt")

    static let valid = """
        Заголовок

        Культура >> 29.02.2016
        Заголовок
        Лид.

        Первый абзац.

        Второй абзац.
        """

    /// `valid` with one line (1-based) replaced.
    static func replacing(line number: Int, with text: String) -> String {
        var lines = valid.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[number - 1] = text
        return lines.joined(separator: "\n")
    }

    /// The format error `text` produces; fails the test when it parses.
    static func error(_ text: String) throws -> SeedFormatError {
        let result = Result { () throws(SeedFormatError) in try SeedArticle.parse(text) }
        return try #require(result.failure, "expected a format error")
    }

    @Test("the sample article parses, keeping its body byte for byte")
    func sample() throws {
        let data = try Data(contentsOf: Self.sampleURL)
        let article = try SeedArticle.parse(utf8: data)
        #expect(article.title == "Волгоградская область укрепляет связи с Казахстаном")
        #expect(article.section == "Политика")
        #expect(article.originalDate == "2014-05-11")
        #expect(article.lead.hasPrefix("Андрей Бочаров"))
        #expect(article.body.hasPrefix("На встрече"))
        #expect(article.body.hasSuffix("жителями Волгограда."))

        // The body is everything after the sixth line break of the file.
        let newlines = data.indices.filter { data[$0] == 0x0A }
        let bodyStart = newlines[5] + 1
        #expect(Data(article.body.utf8) == data[bodyStart...])

        let content = article.content
        #expect(
            content
                == ArticleContent(
                    title: article.title, lead: article.lead, body: article.body, section: "Политика", tags: []
                ))
        #expect(try SeedArticle.parse(String(decoding: data, as: UTF8.self)) == article)
    }

    @Test("a well-formed file parses and keeps a trailing newline in the body")
    func wellFormed() throws {
        let article = try SeedArticle.parse(Self.valid)
        #expect(
            article
                == SeedArticle(
                    title: "Заголовок", section: "Культура", lead: "Лид.", body: "Первый абзац.\n\nВторой абзац.",
                    originalDate: "2016-02-29"
                ))
        #expect(try SeedArticle.parse(Self.valid + "\n").body == "Первый абзац.\n\nВторой абзац.\n")
        // Only the last " >> " separates the date, so a section may contain one.
        #expect(try SeedArticle.parse(Self.replacing(line: 3, with: "A >> B >> 01.01.2000")).section == "A >> B")
    }

    @Test(
        "malformed files name the line and what was expected",
        arguments: [
            (replacing(line: 1, with: ""), 1, "expected the title"),
            (replacing(line: 1, with: "   "), 1, "expected the title"),
            (replacing(line: 2, with: "лишнее"), 2, "expected a blank line after the title, found \"лишнее\""),
            (replacing(line: 2, with: " "), 2, "expected a blank line after the title"),
            (
                replacing(line: 3, with: "Политика 11.05.2014"),
                3, "expected \"<section> >> DD.MM.YYYY\", found \"Политика 11.05.2014\""
            ),
            (replacing(line: 3, with: "Политика >> 2014-05-11"), 3, "expected \"<section> >> DD.MM.YYYY\""),
            (replacing(line: 3, with: "Политика >> 1.5.2014"), 3, "expected \"<section> >> DD.MM.YYYY\""),
            (replacing(line: 3, with: " >> 11.05.2014"), 3, "expected a section name"),
            (replacing(line: 3, with: "Политика >> 32.13.2014"), 3, "\"32.13.2014\" is not a real date"),
            (replacing(line: 3, with: "Политика >> 29.02.2015"), 3, "\"29.02.2015\" is not a real date"),
            // PostgreSQL has no year 0: accepted here, the import failed in the database.
            (replacing(line: 3, with: "Политика >> 01.01.0000"), 3, "\"01.01.0000\" is not a real date"),
            (
                replacing(line: 4, with: "Другой заголовок"),
                4, "expected the title again (\"Заголовок\"), found \"Другой заголовок\""
            ),
            (replacing(line: 4, with: "Заголовок "), 4, "expected the title again"),
            // "й" written as "и" + combining breve: equal as Swift Strings, different bytes.
            ("Йод\n\nНаука >> 01.01.2000\nИ\u{0306}од\nЛид\n\nТекст", 4, "expected the title again"),
            (replacing(line: 5, with: ""), 5, "expected the lead paragraph"),
            (replacing(line: 6, with: "Ещё лид"), 6, "expected a blank line after the lead, found \"Ещё лид\""),
            ("", 1, "expected the title, found an empty file"),
            ("Заголовок", 2, "expected a blank line after the title, found the end of the file"),
            ("Заголовок\n\nКультура >> 29.02.2016\nЗаголовок\nЛид.", 6, "found the end of the file"),
            (
                "Заголовок\n\nКультура >> 29.02.2016\nЗаголовок\nЛид.\n", 7,
                "expected the body paragraphs, found the end of the file"
            ),
            (
                "Заголовок\n\nКультура >> 29.02.2016\nЗаголовок\nЛид.\n\n", 7,
                "expected the body paragraphs, found the end of the file"
            ),
            ("Заголовок\n\nКультура >> 29.02.2016\nЗаголовок\nЛид.\n\n \n\t", 7, "found only whitespace"),
            ("\u{FEFF}" + valid, 1, "byte-order mark"),
            (valid.replacingOccurrences(of: "\n", with: "\r\n"), 1, "carriage return"),
            (valid + "\r\n", 9, "carriage return"),
        ])
    func malformed(text: String, line: Int, message: String) throws {
        let error = try Self.error(text)
        #expect(error.line == line, "\(error)")
        #expect(error.message.contains(message), "\(error)")
        #expect(error.description == "line \(error.line): \(error.message)")
    }

    @Test("the documented example message for a missing separator")
    func exampleMessage() throws {
        let error = try Self.error(Self.replacing(line: 3, with: "Политика 11.05.2014"))
        #expect(error.description == #"line 3: expected "<section> >> DD.MM.YYYY", found "Политика 11.05.2014""#)
    }

    @Test("bytes that are not UTF-8 are refused with their line")
    func invalidUTF8() throws {
        var data = Data(Self.valid.utf8)
        let lead = try #require(data.firstRange(of: Data("Лид".utf8)))
        data[lead.lowerBound] = 0xFF
        #expect(throws: SeedFormatError(line: 5, message: "the file is not valid UTF-8; save it as UTF-8")) {
            try SeedArticle.parse(utf8: data)
        }
    }

    @Test("a byte-order mark in raw bytes is refused, not stripped")
    func byteOrderMarkBytes() throws {
        let data = Data([0xEF, 0xBB, 0xBF]) + Data(Self.valid.utf8)
        let result = Result { () throws(SeedFormatError) in try SeedArticle.parse(utf8: data) }
        let error = try #require(result.failure)
        #expect(error.line == 1)
        #expect(error.message.contains("byte-order mark"))
    }

    @Test("long lines are cut short in messages")
    func longLinesQuotedShort() throws {
        let error = try Self.error(Self.replacing(line: 2, with: String(repeating: "я", count: 500)))
        #expect(error.message.count < 120)
        #expect(error.message.hasSuffix("…\""))
    }
}
