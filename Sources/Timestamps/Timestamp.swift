import Foundation

/// The one way Copydesk writes an instant as text: ISO 8601 in UTC, `2026-11-25T04:02:08.814Z`.
///
/// Every output uses it: event payloads, JSON and JSON lines, CSV, the CLI's tables, the feed, and
/// (with microseconds) the text sent to PostgreSQL in parameters and `COPY`.
///
/// The rounding rule. PostgreSQL keeps microseconds and events are recorded at milliseconds, but
/// a `Date` is a binary fraction: the stored `.814` comes back as `.81399999…`. So an instant is
/// first rounded to the nearest microsecond, which recovers exactly what PostgreSQL holds, and
/// then cut (never rounded up) to the precision shown. A time with more than three digits
/// (`recorded_at`, a user's creation time) is therefore shown at the millisecond it lies in,
/// never later than it happened, and a filter at a whole millisecond (`--since …50.814Z`) selects
/// exactly the rows shown at or after it. The command clock follows the same rule
/// (`Date.truncatedToMilliseconds`), so an event's time reads back equal to the `Date` it was
/// made from.
public enum Timestamp {
    /// How many fraction digits a timestamp shows.
    public enum Precision: Sendable {
        /// `2026-11-25T04:02:08Z`, for compact tables.
        case seconds
        /// `2026-11-25T04:02:08.814Z`, the precision of events.
        case milliseconds
        /// `2026-11-25T04:02:08.814123Z`, the precision of PostgreSQL's `timestamptz`.
        case microseconds
    }

    /// The instant as `yyyy-mm-ddThh:mm:ss[.fff[fff]]Z`, cut to `precision` (see the rounding rule above).
    public static func string(_ date: Date, _ precision: Precision = .milliseconds) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(27)
        append(date, precision, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends what `string` returns as UTF-8, digit by digit (`COPY` writes a timestamp per row).
    public static func append(_ date: Date, _ precision: Precision, to bytes: inout [UInt8]) {
        let (seconds, micros) = floorDivide(microseconds(date), 1_000_000)
        let (days, secondOfDay) = floorDivide(seconds, 86_400)
        let (year, month, day) = civil(daysSinceEpoch: days)
        digits(year, 4, &bytes)
        bytes.append(UInt8(ascii: "-"))
        digits(month, 2, &bytes)
        bytes.append(UInt8(ascii: "-"))
        digits(day, 2, &bytes)
        bytes.append(UInt8(ascii: "T"))
        digits(secondOfDay / 3600, 2, &bytes)
        bytes.append(UInt8(ascii: ":"))
        digits(secondOfDay / 60 % 60, 2, &bytes)
        bytes.append(UInt8(ascii: ":"))
        digits(secondOfDay % 60, 2, &bytes)
        switch precision {
        case .seconds:
            break
        case .milliseconds:
            bytes.append(UInt8(ascii: "."))
            digits(micros / 1000, 3, &bytes)
        case .microseconds:
            bytes.append(UInt8(ascii: "."))
            digits(micros, 6, &bytes)
        }
        bytes.append(UInt8(ascii: "Z"))
    }

    /// The instant `string(date)` shows: cut to the millisecond, as a `Date` equal to the one
    /// parsing that text gives back (`Double(ms) / 1000` since 1970).
    public static func truncatedToMilliseconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: Double(floorDivide(microseconds(date), 1000).quotient) / 1000)
    }

    /// Whole microseconds since 1970, rounded to the nearest: the value PostgreSQL stores.
    static func microseconds(_ date: Date) -> Int {
        Int((date.timeIntervalSince1970 * 1_000_000).rounded())
    }

    /// Division rounding towards negative infinity, so instants before 1970 split correctly.
    static func floorDivide(_ value: Int, _ divisor: Int) -> (quotient: Int, remainder: Int) {
        let remainder = ((value % divisor) + divisor) % divisor
        return ((value - remainder) / divisor, remainder)
    }

    /// The proleptic Gregorian day `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`),
    /// by hand so the result never depends on the machine's calendar or time zone.
    public static func civil(daysSinceEpoch days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// `value` zero-padded to `width` digits; a value that does not fit (a year past 9999 or
    /// before 0) is written whole rather than cut.
    private static func digits(_ value: Int, _ width: Int, _ bytes: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        guard value >= 0, value < divisor * 10 else { return bytes.append(contentsOf: String(value).utf8) }
        var rest = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }
}

extension Date {
    /// This instant cut to whole milliseconds (the precision of events), by `Timestamp`'s rule:
    /// what `Timestamp.string` shows, as an equal `Date`.
    public var truncatedToMilliseconds: Date { Timestamp.truncatedToMilliseconds(self) }
}
