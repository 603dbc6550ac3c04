import Editorial
import Foundation
import Testing
import Timestamps

@Suite("Event encoding")
struct EventCodingTests {
    typealias F = Fixture

    /// 2026-11-25T04:02:08.123Z, built the way the application rounds its clock: milliseconds since 1970.
    static let at = Date(timeIntervalSince1970: 1_795_579_328.123)
    static let tricky = "«Кавычки» \"quotes\" \\ back/slash 🇷🇺👩‍💻 tab\t new\nline \u{0}"
    static let trickyContent = ArticleContent(
        title: "Заголовок с \"кавычками\" и эмодзи 🎉",
        lead: tricky,
        body: String(repeating: "Абзац текста с ё и 😀.\n\n", count: 1_048_576 / 40),
        section: "Политика",
        tags: ["регионы", "", "tag with \"quotes\""]
    )

    static let events: [ArticleEvent] = [
        .drafted(ArticleDrafted(id: F.id, content: trickyContent, originalDate: "2014-05-11", by: "алиса", at: at)),
        .drafted(ArticleDrafted(id: F.id, content: ArticleContent(title: "T"), originalDate: nil, by: "a", at: at)),
        .edited(
            ArticleEdited(
                changes: ContentChanges(title: "Новый", body: tricky, tags: []), note: tricky,
                sentBackToReview: true, startedPendingRevision: false, by: "bob", at: at
            )
        ),
        .edited(
            ArticleEdited(changes: ContentChanges(lead: ""), note: nil, startedPendingRevision: true, by: "b", at: at)),
        .submitted(ArticleSubmitted(by: "alice", at: at)),
        .changesRequested(ChangesRequested(reason: tricky, by: "erin", at: at)),
        .approved(ArticleApproved(note: "Одобрено 👍", by: "carol", at: at)),
        .approved(ArticleApproved(note: nil, by: "carol", at: at)),
        .publicationScheduled(PublicationScheduled(scheduledFor: at.addingTimeInterval(3600.5), by: "pat", at: at)),
        .published(ArticlePublished(content: trickyContent, by: "pat", at: at)),
        .published(
            ArticlePublished(
                content: F.content, scheduledFor: at.addingTimeInterval(-90.25), latenessSeconds: 90.25,
                by: "scheduler", at: at
            )
        ),
        .unpublished(ArticleUnpublished(reason: tricky, wasScheduled: true, by: "pat", at: at)),
        .archived(ArticleArchived(by: "erin", at: at)),
        .commented(CommentAdded(text: tricky, by: "dave", at: at)),
        .edited(
            ArticleEdited(
                changes: ContentChanges(body: "Прежний текст"), note: "откат", sentBackToReview: true,
                cancelledSchedule: at.addingTimeInterval(60), revertedTo: 3, by: "erin", at: at)),
        .publicationUnscheduled(
            PublicationUnscheduled(scheduledFor: at.addingTimeInterval(3600), reason: tricky, by: "pat", at: at)),
        .publicationUnscheduled(PublicationUnscheduled(scheduledFor: at, by: "pat", at: at)),
        .restored(ArticleRestored(status: .unpublished, reason: "Запрет снят", by: "pat", at: at)),
        .restored(ArticleRestored(status: .draft, by: "ada", at: at)),
    ]

    @Test("every event type is covered by the round-trip cases")
    func everyTypeCovered() {
        #expect(Set(Self.events.map(\.typeName)) == Set(ArticleEvent.typeNames))
        #expect(ArticleEvent.typeNames.count == 12)
        #expect(ArticleEvent.schemaVersion == 1)
    }

    /// One round-trip case, named by its type so a 1 MB payload never lands in the test log.
    struct Case: Sendable, CustomTestStringConvertible {
        var event: ArticleEvent
        var testDescription: String { event.typeName }
    }

    @Test("events decode to an equal value", arguments: events.map(Case.init))
    func roundTrip(_ testCase: Case) throws {
        let event = testCase.event
        let (type, data) = event.encoded()
        #expect(type == event.typeName)
        let decoded = try ArticleEvent.decode(type: type, schemaVersion: ArticleEvent.schemaVersion, data: data)
        #expect(decoded == event)
        // Encoding is deterministic: the hash chain depends on it.
        #expect(decoded.encoded().data == data)
    }

    @Test("payloads have sorted keys and millisecond UTC timestamps")
    func payloadShape() throws {
        let event = ArticleEvent.changesRequested(ChangesRequested(reason: "Нужны источники", by: "erin", at: Self.at))
        let (type, data) = event.encoded()
        #expect(type == "ChangesRequested")
        #expect(data == #"{"at":"2026-11-25T04:02:08.123Z","by":"erin","reason":"Нужны источники"}"#)
    }

    @Test("payloads stored before unschedule, restore and revert existed decode and encode as they were")
    func olderPayloads() throws {
        let edited = #"{"at":"2026-11-25T04:02:08.123Z","by":"bob","changes":{"title":"Новый"},"#
            + #""sentBackToReview":true,"startedPendingRevision":false}"#
        let decoded = try ArticleEvent.decode(type: "ArticleEdited", schemaVersion: 1, data: edited)
        #expect(
            decoded
                == .edited(
                    ArticleEdited(
                        changes: ContentChanges(title: "Новый"), sentBackToReview: true, by: "bob", at: Self.at)))
        #expect(decoded.encoded().data == edited)
        #expect(decoded.commandKind == .edit)
        let reverted = ArticleEvent.edited(
            ArticleEdited(changes: ContentChanges(title: "Старый"), revertedTo: 2, by: "bob", at: Self.at))
        #expect(reverted.commandKind == .revert)
        #expect(reverted.encoded().data.contains(#""revertedTo":2"#))
    }

    @Test("timestamps print with exactly three fraction digits")
    func timestampFormat() {
        #expect(EventTimestamp.string(from: Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(EventTimestamp.string(from: Date(timeIntervalSinceReferenceDate: 0)) == "2001-01-01T00:00:00.000Z")
        #expect(EventTimestamp.string(from: Date(timeIntervalSince1970: -0.001)) == "1969-12-31T23:59:59.999Z")
        #expect(EventTimestamp.string(from: Date(timeIntervalSince1970: 951_782_400.5)) == "2000-02-29T00:00:00.500Z")
        #expect(EventTimestamp.string(from: Self.at) == "2026-11-25T04:02:08.123Z")
        #expect(EventTimestamp.date(from: "2026-11-25T04:02:08.123Z") == Self.at)
        #expect(
            EventTimestamp.date(from: "2026-11-25T04:02:08Z")
                == Self.at.addingTimeInterval(-0.123).truncatedToMilliseconds)
        for bad in [
            "2026-11-25T04:02:08.123", "2026-11-25 04:02:08.123Z", "2026-02-30T00:00:00.000Z",
            "2026-11-25T24:00:00.000Z", "2026-11-25T04:02:08.1234Z", "2026-11-25T04:02:08.+12Z",
        ] {
            #expect(EventTimestamp.date(from: bad) == nil, "\(bad)")
        }
    }

    @Test("millisecond dates survive a round trip exactly")
    func millisecondRoundTrip() throws {
        // A fixed pseudo-random walk over 1900...2100 keeps the test deterministic.
        var seed: UInt64 = 0x5F9B_F97B_76E6_1B5F
        for _ in 0..<2000 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let milliseconds = Int64(seed >> 11) % 6_311_390_400_000 - 2_208_988_800_000
            let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
            let text = EventTimestamp.string(from: date)
            #expect(EventTimestamp.date(from: text) == date, "\(text)")
            #expect(date.truncatedToMilliseconds == date)
        }
        // The usual way to cut a clock to milliseconds (truncating in 1970 time) also comes back equal.
        for _ in 0..<2000 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let reading = Date(timeIntervalSince1970: 1_000_000_000 + Double(seed >> 24) / 1_000_000)
            let clock = Date(timeIntervalSince1970: (reading.timeIntervalSince1970 * 1000).rounded(.down) / 1000)
            #expect(EventTimestamp.date(from: EventTimestamp.string(from: clock)) == clock)
        }
        // A clock reading with sub-millisecond noise, cut first, also comes back equal.
        let clock = Date(timeIntervalSinceReferenceDate: 817_272_128.123_456_7).truncatedToMilliseconds
        let event = ArticleEvent.submitted(ArticleSubmitted(by: "alice", at: clock))
        let (type, data) = event.encoded()
        #expect(try ArticleEvent.decode(type: type, schemaVersion: 1, data: data) == event)
    }

    @Test("an unknown type, a newer schema or a malformed payload is a clear error")
    func decodingErrors() {
        #expect(throws: EventDecodingError.unknownType("ArticleDeleted")) {
            try ArticleEvent.decode(type: "ArticleDeleted", schemaVersion: 1, data: "{}")
        }
        #expect(throws: EventDecodingError.unsupportedSchemaVersion(type: "ArticleSubmitted", version: 2, supported: 1))
        {
            try ArticleEvent.decode(
                type: "ArticleSubmitted", schemaVersion: 2, data: #"{"by":"a","at":"2026-11-25T04:02:08.123Z"}"#)
        }
        do {
            _ = try ArticleEvent.decode(
                type: "CommentAdded", schemaVersion: 1, data: #"{"by":"a","at":"2026-11-25T04:02:08.123Z"}"#)
            Issue.record("a payload without text should not decode")
        } catch {
            #expect(error.description.contains("CommentAdded"))
            #expect(error.description.contains("text"))
        }
        do {
            _ = try ArticleEvent.decode(
                type: "ArticleSubmitted", schemaVersion: 1, data: #"{"by":"a","at":"yesterday"}"#)
            Issue.record("a bad timestamp should not decode")
        } catch {
            #expect(error.description.contains("ArticleSubmitted payload: at: expected an ISO 8601"))
        }
        #expect(EventDecodingError.unknownType("X").description.contains("ArticleDrafted"))
    }
}
