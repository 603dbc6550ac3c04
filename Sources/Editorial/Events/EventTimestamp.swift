import Foundation
import Timestamps

/// The timestamp format of stored events: ISO 8601 in UTC with exactly three fraction digits, written by
/// `Timestamp` (the one writer of times, whose doc comment states the rounding rule).
///
/// Parsing yields `Date(timeIntervalSince1970: Double(ms) / 1000)`, the usual way to build a millisecond date and the
/// one `Date.truncatedToMilliseconds` uses, so a clock cut that way comes back from storage as an equal `Date`.
/// (Building the same instant from the 2001 reference date gives a `Date` one ulp apart about 40% of the time, which
/// `==` notices.)
public enum EventTimestamp {
    /// The date as `yyyy-mm-ddThh:mm:ss.mmmZ`, cut to the millisecond.
    public static func string(from date: Date) -> String {
        Timestamp.string(date, .milliseconds)
    }

    /// Parses `yyyy-mm-ddThh:mm:ss[.fff]Z` (UTC only, up to three fraction digits); nil for anything else.
    public static func date(from text: String) -> Date? {
        if let date = canonicalDate(text.utf8) { return date }
        guard text.hasSuffix("Z"), let tee = text.firstIndex(of: "T") else {
            return nil
        }
        guard let day = CalendarDay(iso: String(text[..<tee])) else {
            return nil
        }
        let clock = text[text.index(after: tee)..<text.index(before: text.endIndex)]
        let (wholeSeconds, fractionText) = splitFraction(clock)
        let fields = wholeSeconds.split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count == 3, fields.allSatisfy({ $0.count == 2 }),
            let hour = CalendarDay.digits(fields[0]), let minute = CalendarDay.digits(fields[1]),
            let second = CalendarDay.digits(fields[2]), hour < 24, minute < 60, second < 60
        else {
            return nil
        }
        var fraction = 0
        if let fractionText {
            guard (1...3).contains(fractionText.count), let value = CalendarDay.digits(fractionText) else {
                return nil
            }
            fraction = value * [100, 10, 1][fractionText.count - 1]
        }
        let sinceEpoch = ((day.daysSinceEpoch * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + fraction
        return Date(timeIntervalSince1970: Double(sinceEpoch) / 1000)
    }

    /// The date of `yyyy-mm-ddThh:mm:ss.mmmZ`, the form `string(from:)` writes and every stored event
    /// holds, read straight from the bytes (replay reads millions); nil for any other text, which
    /// `date(from:)` then parses the general way, to the same result.
    private static func canonicalDate(_ utf8: String.UTF8View) -> Date? {
        utf8.withContiguousStorageIfAvailable(canonicalDate) ?? nil
    }

    /// `canonicalDate` of text still in its payload's bytes (see `PayloadReader`), so that reading
    /// a timestamp needs no string of its own.
    static func canonicalDate(_ bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        guard bytes.count == 24 else { return nil }
        func number(_ start: Int, _ count: Int) -> Int? {
            var value = 0
            for index in start..<start + count {
                let digit = Int(bytes[index]) - 0x30
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"), bytes[19] == UInt8(ascii: "."),
            bytes[23] == UInt8(ascii: "Z"),
            let year = number(0, 4), let month = number(5, 2), let dayOfMonth = number(8, 2),
            let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
            let fraction = number(20, 3), hour < 24, minute < 60, second < 60,
            let day = CalendarDay(year: year, month: month, day: dayOfMonth)
        else { return nil }
        let sinceEpoch = ((day.daysSinceEpoch * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + fraction
        return Date(timeIntervalSince1970: Double(sinceEpoch) / 1000)
    }

    private static func splitFraction(_ clock: Substring) -> (Substring, Substring?) {
        guard let dot = clock.firstIndex(of: ".") else {
            return (clock, nil)
        }
        return (clock[..<dot], clock[clock.index(after: dot)...])
    }
}
