import Foundation
import Testing

@testable import Editorial

/// The times people type into the CLI and the HTTP API: read exactly, or refused.
@Suite("ISO 8601 times typed by people")
struct ISO8601Tests {
    static func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0,
                    milliseconds: Int = 0) -> Date {
        let day = CalendarDay(year: year, month: month, day: day)!
        let total = ((day.daysSinceEpoch * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + milliseconds
        return Date(timeIntervalSince1970: Double(total) / 1000)
    }

    @Test("days, UTC times, offsets and fractions mean the instant they name")
    func accepted() {
        let cases: [(String, Date)] = [
            ("2027-12-01", Self.utc(2027, 12, 1)),
            ("2027-12-01T09:00:00Z", Self.utc(2027, 12, 1, 9)),
            ("2027-12-01T09:00:00+03:00", Self.utc(2027, 12, 1, 6)),
            ("2027-12-01T09:00:00-05:30", Self.utc(2027, 12, 1, 14, 30)),
            ("2027-12-01T01:00:00+03:00", Self.utc(2027, 11, 30, 22)),
            ("2027-12-01T09:00:00-00:00", Self.utc(2027, 12, 1, 9)),
            ("2027-12-01T09:00:00.5Z", Self.utc(2027, 12, 1, 9, milliseconds: 500)),
            ("2027-12-01T09:00:00.123Z", Self.utc(2027, 12, 1, 9, milliseconds: 123)),
            ("2027-12-01T09:00:00.1234Z", Self.utc(2027, 12, 1, 9, milliseconds: 123)),
            ("2027-12-01T09:00:00.1235Z", Self.utc(2027, 12, 1, 9, milliseconds: 124)),
            ("2027-12-01T09:00:00.123456789Z", Self.utc(2027, 12, 1, 9, milliseconds: 123)),
            ("2027-12-01T23:59:59.9996Z", Self.utc(2027, 12, 2)),
            ("2028-02-29T12:00:00Z", Self.utc(2028, 2, 29, 12)),
            ("1969-12-31T23:59:59.999Z", Date(timeIntervalSince1970: -0.001)),
            ("0001-01-01", Self.utc(1, 1, 1)),
            ("9999-12-31T23:59:59Z", Self.utc(9999, 12, 31, 23, 59, 59)),
            // Without seconds, as `date +%FT%H:%M%:z` and people write it.
            ("2027-12-01T09:00Z", Self.utc(2027, 12, 1, 9)),
            ("2027-12-01T09:30+03:00", Self.utc(2027, 12, 1, 6, 30)),
        ]
        for (text, expected) in cases {
            #expect(ISO8601.date(from: text) == expected, "\(text)")
        }
    }

    @Test("a time without a zone, an impossible day or time, or anything else is refused")
    func refused() {
        for text in [
            "", "2027", "2027-12", "2027-12-1", "27-12-01", "2027/12/01", "01.12.2027",
            "2027-12-01T09:00:00",  // no zone: which one was meant?
            "2027-12-01T09:00", "2027-12-01T09:00.5Z", "2027-12-01T09:0Z", "2027-12-01T09:00:Z",
            "2027-12-01T09:00+0300", "2027-12-01 09:00:00Z", "2027-12-01t09:00:00Z",
            "2027-12-01T09:00:00z", "2027-12-01Tgarbage", "2027-12-01T", "2027-12-01 ",
            "2027-02-30", "2027-02-29T09:00:00Z", "2027-13-01", "2027-00-10", "2027-04-31",
            "2027-12-01T24:00:00Z", "2027-12-01T25:00:00Z", "2027-12-01T09:60:00Z", "2027-12-01T09:00:60Z",
            "2027-12-01T09:00:00+25:00", "2027-12-01T09:00:00+03:60", "2027-12-01T09:00:00+0300",
            "2027-12-01T09:00:00+03", "2027-12-01T09:00:00 +03:00",
            "2027-12-01T09:00:00.Z", "2027-12-01T09:00:00.1234567890Z", "2027-12-01T09:00:00.12a3Z",
            "0000-01-01", "0000-01-01T00:00:00Z", "99999-12-01T09:00:00Z", "-2027-12-01",
            "２０２７-12-01", "2027-12-01T09:00:00Z ", " 2027-12-01",
        ] {
            #expect(ISO8601.date(from: text) == nil, "\(text)")
        }
    }

    @Test("every day of four years reads back as itself, with and without a time")
    func everyDay() {
        for daysSinceEpoch in 20_000..<(20_000 + 4 * 366) {
            let day = CalendarDay(daysSinceEpoch: daysSinceEpoch)
            let midnight = Date(timeIntervalSince1970: Double(daysSinceEpoch) * 86_400)
            #expect(ISO8601.date(from: day.iso) == midnight, "\(day.iso)")
            #expect(ISO8601.date(from: EventTimestamp.string(from: midnight)) == midnight)
        }
    }
}
