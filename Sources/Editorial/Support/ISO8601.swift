import Foundation

/// The times people type (CLI options, HTTP fields and query parameters), read strictly.
///
/// Foundation's `ISO8601DateFormatter` reads `2027-12-01T09:00:00` (no zone) as the bare day and
/// rolls 30 February over into March, so a mistyped time silently became another one. This reads
/// only what it can read exactly, and says nil for anything else.
public enum ISO8601 {
    /// A day (`2026-12-01`, midnight UTC) or an RFC 3339 time: `2026-12-01T09:00:00Z`, with an
    /// offset (`+03:00`) instead of `Z`, and 1 to 9 fraction digits (kept to the millisecond, as
    /// events keep them); the seconds may be left out (`2026-12-01T09:00+03:00`), as people and
    /// `date +%FT%H:%M%:z` write times. Years 0001 to 9999; nil for a day or time that does not exist.
    public static func date(from text: String) -> Date? {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 10, utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
        guard let day = CalendarDay(iso: String(decoding: utf8[0..<10], as: UTF8.self)) else { return nil }
        if utf8.count == 10 { return date(milliseconds: day.daysSinceEpoch * 86_400_000) }

        // hh:mm after the T, at offsets 11 to 15, then :ss (16 to 18) or straight the zone.
        guard utf8.count >= 17, utf8[10] == UInt8(ascii: "T"), utf8[13] == UInt8(ascii: ":"),
            let hour = number(utf8[11..<13]), let minute = number(utf8[14..<16]), hour < 24, minute < 60
        else { return nil }
        var index = 16
        var second = 0
        let hasSeconds = utf8[16] == UInt8(ascii: ":")
        if hasSeconds {
            guard utf8.count >= 20, let seconds = number(utf8[17..<19]), seconds < 60 else { return nil }
            second = seconds
            index = 19
        }
        var milliseconds = 0
        if hasSeconds, utf8[index] == UInt8(ascii: ".") {
            let digits = utf8[(index + 1)...].prefix { (0x30...0x39).contains($0) }
            guard (1...9).contains(digits.count) else { return nil }
            // Rounded to the millisecond: the first four digits decide it.
            let scaled = digits.prefix(4).reduce(0) { $0 * 10 + Int($1 - 0x30) }
                * [1000, 100, 10, 1][min(digits.count, 4) - 1]
            milliseconds = (scaled + 5) / 10
            index += 1 + digits.count
        }
        let zone = utf8[index...]
        let offsetMinutes: Int
        if zone.elementsEqual("Z".utf8) {
            offsetMinutes = 0
        } else {
            guard zone.count == 6, zone.first == UInt8(ascii: "+") || zone.first == UInt8(ascii: "-"),
                zone[index + 3] == UInt8(ascii: ":"),
                let hours = number(zone[(index + 1)..<(index + 3)]), let minutes = number(zone[(index + 4)...]),
                hours < 24, minutes < 60
            else { return nil }
            offsetMinutes = (hours * 60 + minutes) * (zone.first == UInt8(ascii: "-") ? -1 : 1)
        }
        let local = ((day.daysSinceEpoch * 24 + hour) * 60 + minute - offsetMinutes) * 60_000 + second * 1000
        return date(milliseconds: local + milliseconds)
    }

    private static func date(milliseconds: Int) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    /// Two ASCII digits as a number; nil for anything else.
    private static func number(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard bytes.count == 2, bytes.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return bytes.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }
}
