import EventStore
import Foundation
import Postgres
import TestSupport
import Testing

/// `JSONText.isValue`, the check event data passes before it is embedded in an append's document.
@Suite("Event data must be one JSON value")
struct JSONSyntaxTests {
    @Test("values of every kind, nested, with whitespace around them, are accepted")
    func validValues() {
        for text in [
            "{}", "[]", "0", "-0", "12", "-3.25", "1e9", "2E-7", "0.5e+10", "true", "false", "null", "\"\"",
            " \t\r\n{\"a\": [1, 2.5, {\"b\": null}], \"c\": \"d\"}\n ",
            #"{"body":"Плохая погода \"в кавычках\" \\ \/ \b\f\n\r\t \u00e9 \ud83d\ude00 😀"}"#,
            "[[[[[[[[[[]]]]]]]]]]", "{\"\":{}}", "[true,false,null]",
        ] {
            #expect(JSONText.isValue(text), "\(text)")
        }
    }

    @Test("anything but exactly one value is refused: junk after it, missing parts, bad escapes, lone surrogates")
    func invalidValues() {
        for text in [
            "", " ", "{", "}", "[1,]", "[,1]", "{\"a\":1,}", "{\"a\"}", "{a:1}", "{\"a\":1 \"b\":2}", "[1 2]",
            "01", "-", "1.", ".5", "1e", "1e+", "+1", "0x10", "NaN", "Infinity", "tru", "nul", "True",
            "\"unterminated", "\"tab\tinside\"", "\"bad \\x escape\"", "\"\\u12\"", "\"\\uZZZZ\"",
            "\"\\ud83d\"", "\"\\ude00\"", "\"\\u0000\"", "\"\\ud83d\\u0041\"", "{} {}", "1 2", "{}x", "\"a\" ,",
            "1,\"metadata\":{}",  // what an unchecked value could smuggle into the append's document
            String(repeating: "[", count: 600) + String(repeating: "]", count: 600),
        ] {
            #expect(!JSONText.isValue(text), "\(text)")
        }
    }

    /// Random mutations of valid documents, judged by PostgreSQL's own `jsonb` input as the oracle
    /// (a failure lists the documents they disagree on, so it can be replayed from its message).
    @Test("agrees with PostgreSQL's jsonb on 3,000 random mutations of valid documents")
    func agreesWithPostgreSQL() async throws {
        let database = try await TestDatabase.empty()
        let connection = try await Connection.connect(to: database.ownerConninfo)
        var random = SystemRandomNumberGenerator()
        let seeds = [
            #"{"title":"Wahl 2026","body":"Zeile 1\nZeile 2 \"zitiert\"","tags":["a","b"],"n":-12.5e3,"ok":true,"x":null}"#,
            #"[{"a":[1,2,{"b":"\u00fc\ud83d\ude00\u0000"}]},0,false,"",[]]"#,
        ]
        let alphabet = Array(#"{}[]:,"\/ubfnrtd0123456789-+.eE aé😀"#.unicodeScalars) + ["\u{01}", "\n"]
        var disagreements: [String] = []
        var accepted = 0
        for _ in 0..<3_000 {
            var scalars = Array(seeds[Int(random.next() % UInt64(seeds.count))].unicodeScalars)
            for _ in 0...(random.next() % 3) where !scalars.isEmpty {
                let position = Int(random.next() % UInt64(scalars.count))
                let replacement = alphabet[Int(random.next() % UInt64(alphabet.count))]
                switch random.next() % 3 {
                case 0: scalars.remove(at: position)
                case 1: scalars.insert(replacement, at: position)
                default: scalars[position] = replacement
                }
            }
            var text = ""
            text.unicodeScalars.append(contentsOf: scalars)
            let postgres = (try? await connection.query("SELECT $1::jsonb", [text])) != nil
            if JSONText.isValue(text) != postgres { disagreements.append(text) }
            if postgres { accepted += 1 }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(5))")
        // Both answers come up often, or agreeing would prove little.
        #expect((150...2_850).contains(accepted), "\(accepted) of 3,000 were valid")
    }
}
