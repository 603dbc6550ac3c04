import Editorial
import Foundation
import Testing

/// `ArticleEvent.decode` reads payloads by hand (`PayloadReader`); these hold it to the Codable
/// conformances the encoder uses, which `JSONDecoder` reads: for every event type, with and
/// without each optional member, in the encoder's form and in other valid JSON, and refusing
/// what `JSONDecoder` refuses.
@Suite("Payload reading matches Codable")
struct PayloadReaderTests {
    /// The Codable path as it was: `JSONDecoder` with the events' timestamp format.
    static let codable: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = EventTimestamp.date(from: text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a timestamp")
            }
            return date
        }
        return decoder
    }()

    static func decodedByCodable(type: String, data: String) throws -> ArticleEvent {
        let bytes = Data(data.utf8)
        func payload<Payload: Decodable>(_: Payload.Type) throws -> Payload {
            try codable.decode(Payload.self, from: bytes)
        }
        switch type {
        case "ArticleDrafted": return .drafted(try payload(ArticleDrafted.self))
        case "ArticleEdited": return .edited(try payload(ArticleEdited.self))
        case "ArticleSubmitted": return .submitted(try payload(ArticleSubmitted.self))
        case "ChangesRequested": return .changesRequested(try payload(ChangesRequested.self))
        case "ArticleApproved": return .approved(try payload(ArticleApproved.self))
        case "PublicationScheduled": return .publicationScheduled(try payload(PublicationScheduled.self))
        case "PublicationUnscheduled": return .publicationUnscheduled(try payload(PublicationUnscheduled.self))
        case "ArticlePublished": return .published(try payload(ArticlePublished.self))
        case "ArticleUnpublished": return .unpublished(try payload(ArticleUnpublished.self))
        case "ArticleArchived": return .archived(try payload(ArticleArchived.self))
        case "ArticleRestored": return .restored(try payload(ArticleRestored.self))
        case "CommentAdded": return .commented(try payload(CommentAdded.self))
        default: throw EventDecodingError.unknownType(type)
        }
    }

    /// A fixed pseudo-random source, so every run checks the same events.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state ^ (state >> 29)
        }
    }

    /// Text of every kind a payload holds: empty, ASCII, Cyrillic, emoji with joiners, every
    /// character JSON must escape, the ones jsonb escapes, U+2028, a lone `\u{0}`.
    static let pieces = [
        "", "a", "Заголовок", "«Кавычки»", "\"", "\\", "/", "\n", "\r", "\t", "\u{8}", "\u{C}", "\u{0}", "\u{1F}",
        "\u{7F}", "\u{2028}", "🇷🇺👩‍💻", "ё", " ", "null", "{}", "[1,2]", "2026-11-25T04:02:08.123Z", "\\u0041",
    ]

    static func text(_ random: inout Seeded) -> String {
        (0..<Int.random(in: 0...6, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
    }

    static func date(_ random: inout Seeded) -> Date {
        Date(timeIntervalSince1970: Double(Int64.random(in: -2_208_988_800_000...4_102_444_800_000, using: &random)) / 1000)
    }

    static func content(_ random: inout Seeded) -> ArticleContent {
        ArticleContent(
            title: text(&random), lead: text(&random), body: text(&random), section: text(&random),
            tags: (0..<Int.random(in: 0...3, using: &random)).map { _ in text(&random) })
    }

    /// An event of each type in turn, every member drawn at random, each optional one present or not.
    static func event(_ index: Int, _ random: inout Seeded) -> ArticleEvent {
        func maybe<Value>(_ value: () -> Value) -> Value? { Bool.random(using: &random) ? value() : nil }
        let by = text(&random)
        let at = date(&random)
        switch index % 12 {
        case 0:
            return .drafted(ArticleDrafted(
                id: UUID(), content: content(&random), originalDate: maybe { "2014-05-11" }, by: by, at: at))
        case 1:
            return .edited(ArticleEdited(
                changes: ContentChanges(
                    title: maybe { text(&random) }, lead: maybe { text(&random) },
                    body: maybe { text(&random) }, section: maybe { text(&random) },
                    tags: maybe { [text(&random), text(&random)] }),
                note: maybe { text(&random) }, sentBackToReview: Bool.random(using: &random),
                startedPendingRevision: Bool.random(using: &random), cancelledSchedule: maybe { date(&random) },
                revertedTo: maybe { Int64.random(in: 1...Int64.max, using: &random) }, by: by, at: at))
        case 2: return .submitted(ArticleSubmitted(by: by, at: at))
        case 3: return .changesRequested(ChangesRequested(reason: text(&random), by: by, at: at))
        case 4: return .approved(ArticleApproved(note: maybe { text(&random) }, by: by, at: at))
        case 5: return .publicationScheduled(PublicationScheduled(scheduledFor: date(&random), by: by, at: at))
        case 6:
            return .publicationUnscheduled(PublicationUnscheduled(
                scheduledFor: date(&random), reason: maybe { text(&random) }, by: by, at: at))
        case 7:
            return .published(ArticlePublished(
                content: content(&random), scheduledFor: maybe { date(&random) },
                latenessSeconds: maybe { Double.random(in: -1e6...1e9, using: &random) }, by: by, at: at))
        case 8:
            return .unpublished(ArticleUnpublished(
                reason: text(&random), wasScheduled: Bool.random(using: &random), by: by, at: at))
        case 9: return .archived(ArticleArchived(by: by, at: at))
        case 10:
            return .restored(ArticleRestored(
                status: ArticleStatus.allCases.randomElement(using: &random)!, reason: maybe { text(&random) },
                by: by, at: at))
        default: return .commented(CommentAdded(text: text(&random), by: by, at: at))
        }
    }

    /// The same JSON, written otherwise: keys in reverse order, whitespace everywhere JSON allows
    /// it, `/` and every non-ASCII character escaped (surrogate pairs beyond the BMP).
    static func rewritten(_ json: String) throws -> String {
        func write(_ value: Any) -> String {
            switch value {
            case let object as [String: Any]:
                let members = object.keys.sorted(by: >).map { " \n\(escaped($0)) :\t\(write(object[$0]!)) " }
                return "{\(members.joined(separator: ","))}"
            case let array as [Any]:
                return "[ \(array.map(write).joined(separator: " , ")) ]"
            case let string as String:
                return escaped(string)
            case let number as NSNumber:
                // JSONSerialization makes `true` and `false` the only numbers of type char.
                if String(cString: number.objCType) == "c" { return number.boolValue ? "true" : "false" }
                return "\(number)"
            default:
                return "null"
            }
        }
        func escaped(_ text: String) -> String {
            "\"" + text.utf16.map { unit in
                switch unit {
                case 0x22: "\\\""
                case 0x5C: "\\\\"
                case 0x2F: "\\/"
                case 0x0A: "\\n"
                case 0x20..<0x7F: String(UnicodeScalar(UInt8(unit)))
                default: String(format: "\\u%04X", unit)
                }
            }.joined() + "\""
        }
        return write(try JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed]))
    }

    @Test("every event type reads as Codable reads it, in the encoder's form and rewritten")
    func matchesCodable() throws {
        var random = Seeded(state: 0x5F9B_F97B_76E6_1B5F)
        for index in 0..<1200 {
            let event = Self.event(index, &random)
            let (type, data) = event.encoded()
            let read = try ArticleEvent.decode(type: type, schemaVersion: 1, data: data)
            #expect(read == event, "\(type) \(data)")
            #expect(read == (try Self.decodedByCodable(type: type, data: data)), "\(type) \(data)")
            // Rewritten, a Double may come out as other digits: the two readers must still agree.
            let rewritten = try Self.rewritten(data)
            #expect(
                try ArticleEvent.decode(type: type, schemaVersion: 1, data: rewritten)
                    == (try Self.decodedByCodable(type: type, data: rewritten)), "\(type) \(rewritten)")
        }
    }

    /// The Codable path of writing as it was: `JSONEncoder`, sorted keys, `/` unescaped, the
    /// events' timestamp format.
    static let codableEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(EventTimestamp.string(from: date))
        }
        return encoder
    }()

    static func encodedByCodable(_ event: ArticleEvent) throws -> String {
        let encoder = codableEncoder
        let data: Data
        switch event {
        case .drafted(let e): data = try encoder.encode(e)
        case .edited(let e): data = try encoder.encode(e)
        case .submitted(let e): data = try encoder.encode(e)
        case .changesRequested(let e): data = try encoder.encode(e)
        case .approved(let e): data = try encoder.encode(e)
        case .publicationScheduled(let e): data = try encoder.encode(e)
        case .publicationUnscheduled(let e): data = try encoder.encode(e)
        case .published(let e): data = try encoder.encode(e)
        case .unpublished(let e): data = try encoder.encode(e)
        case .archived(let e): data = try encoder.encode(e)
        case .restored(let e): data = try encoder.encode(e)
        case .commented(let e): data = try encoder.encode(e)
        }
        return String(decoding: data, as: UTF8.self)
    }

    @Test("every event type is written byte for byte as JSONEncoder wrote it")
    func writesAsCodable() throws {
        var random = Seeded(state: 0x2F1C_0E4D_9A77_3B21)
        for index in 0..<1200 {
            let event = Self.event(index, &random)
            #expect(event.encoded().data == (try Self.encodedByCodable(event)), "\(event)")
        }
    }

    @Test("jsonb's text form, unknown members and null optionals read as Codable reads them")
    func otherValidPayloads() throws {
        let payloads: [(type: String, data: String)] = [
            // How PostgreSQL prints a jsonb payload: a space after every colon and comma, keys by length.
            ("ArticleEdited",
             #"{"at": "2026-11-25T04:02:08.123Z", "by": "bob", "note": "a\u0000b\"", "changes": {"tags": [], "#
                + #""title": "Новый"}, "revertedTo": 3, "sentBackToReview": true, "startedPendingRevision": false}"#),
            ("ArticleApproved", #"{"at":"2026-11-25T04:02:08.123Z","by":"c","note":null,"later":{"x":[1,-2.5e3,null,true,"}"]}}"#),
            // JSONDecoder lets a comma before the end of an object pass; so does the reader.
            ("ArticleSubmitted", #"{"by":"a","at":"2026-11-25T04:02:08.123Z",}"#),
            ("ArticleEdited",
             #"{"at":"2026-11-25T04:02:08Z","by":"b","changes":{"body":null},"revertedTo":2.0,"#
                + #""sentBackToReview":false,"startedPendingRevision":false,"cancelledSchedule":"2026-11-25T04:02:08.1Z"}"#),
            ("ArticlePublished",
             #"{"at":"2026-11-25T04:02:08.123Z","by":"s","latenessSeconds":90,"scheduledFor":null,"#
                + #""content":{"body":"","lead":"","section":"","tags":["\ud83d\ude00"],"title":"T"}}"#),
            ("ArticleDrafted",
             #"{"at":"2026-11-25T04:02:08.123Z","by":"a","id":"5f9bf97b-76e6-4000-8000-1f5bf97b76e6","#
                + #""content":{"body":"","lead":"","section":"","tags":[],"title":"T"},"originalDate":null}"#),
        ]
        for (type, data) in payloads {
            let read = try ArticleEvent.decode(type: type, schemaVersion: 1, data: data)
            #expect(read == (try Self.decodedByCodable(type: type, data: data)), "\(data)")
        }
    }

    @Test("what Codable refuses is refused, naming the member", arguments: [
        ("CommentAdded", #"{"by":"a","at":"2026-11-25T04:02:08.123Z"}"#, "missing text"),
        ("ArticleDrafted",
         #"{"at":"2026-11-25T04:02:08.123Z","by":"a","id":"5f9bf97b-76e6-4000-8000-1f5bf97b76e6","#
            + #""content":{"body":"","lead":"","section":"","tags":[]}}"#, "missing content.title"),
        ("ArticleDrafted",
         #"{"at":"2026-11-25T04:02:08.123Z","by":"a","id":"nope","#
            + #""content":{"body":"","lead":"","section":"","tags":[],"title":"T"}}"#, "id:"),
        ("ArticleSubmitted", #"{"by":"a","at":"yesterday"}"#, "at: expected an ISO 8601"),
        ("ArticleSubmitted", #"{"by":null,"at":"2026-11-25T04:02:08.123Z"}"#, "by:"),
        ("ArticleSubmitted", #"{"by":1,"at":"2026-11-25T04:02:08.123Z"}"#, "by:"),
        ("ArticleSubmitted", #"{"by":"a" "at":"2026-11-25T04:02:08.123Z"}"#, "by:"),
        ("ArticleSubmitted", #"{"by":"a","at":"2026-11-25T04:02:08.123Z"} x"#, "the payload:"),
        ("ArticleSubmitted", #"{"by":"a\q","at":"2026-11-25T04:02:08.123Z"}"#, ""),
        ("ArticleSubmitted", #"{"by":"a\ud800","at":"2026-11-25T04:02:08.123Z"}"#, ""),
        ("ArticleSubmitted", "{\"by\":\"a\u{1}\",\"at\":\"2026-11-25T04:02:08.123Z\"}", ""),
        ("ArticleSubmitted", #"{"by":"a","at":"2026-11-25T04:02:08.123Z""#, ""),
        ("ArticleSubmitted", #"["a"]"#, "the payload:"),
        ("ArticleSubmitted", "", "the payload:"),
        ("ArticleEdited",
         #"{"at":"2026-11-25T04:02:08.123Z","by":"b","changes":{},"sentBackToReview":1,"startedPendingRevision":false}"#,
         "sentBackToReview:"),
        ("ArticleEdited",
         #"{"at":"2026-11-25T04:02:08.123Z","by":"b","changes":{},"revertedTo":1.5,"#
            + #""sentBackToReview":true,"startedPendingRevision":false}"#, "revertedTo:"),
        ("ArticleEdited",
         #"{"at":"2026-11-25T04:02:08.123Z","by":"b","changes":{},"revertedTo":01,"#
            + #""sentBackToReview":true,"startedPendingRevision":false}"#, "revertedTo:"),
        ("ArticleRestored", #"{"at":"2026-11-25T04:02:08.123Z","by":"b","status":"gone"}"#, "status:"),
        ("ArticleUnpublished", #"{"at":"2026-11-25T04:02:08.123Z","by":"b","reason":"r"}"#, "missing wasScheduled"),
    ])
    func refused(type: String, data: String, named: String) {
        #expect(throws: (any Error).self, "Codable refuses it too") { try Self.decodedByCodable(type: type, data: data) }
        do {
            let read = try ArticleEvent.decode(type: type, schemaVersion: 1, data: data)
            Issue.record("\(data) read as \(read)")
        } catch {
            #expect(error.description.hasPrefix("malformed \(type) payload: "), "\(error)")
            #expect(named.isEmpty || error.description.contains(named), "\(error)")
        }
    }
}
