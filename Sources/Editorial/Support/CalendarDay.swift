import Timestamps

/// A day of the proleptic Gregorian calendar, with the arithmetic needed to check dates and print UTC timestamps.
///
/// Done by hand (Howard Hinnant's `days_from_civil`) rather than with `Calendar` so the domain stays free of
/// locale and time-zone state, and results never depend on the machine running it.
struct CalendarDay: Sendable, Hashable {
    var year: Int
    var month: Int
    var day: Int

    /// A day, or nil when the month or day does not exist (e.g. 31.04 or 29.02 outside leap years)
    /// or the year is outside 1 to 9999 (four digits; PostgreSQL has no year 0).
    init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
            day <= Self.daysIn(month: month, year: year)
        else {
            return nil
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The day that lies `days` days after 1970-01-01 (negative for earlier days).
    init(daysSinceEpoch days: Int) {
        (year, month, day) = Timestamp.civil(daysSinceEpoch: days)
    }

    /// Days from 1970-01-01 to this day.
    var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The day as ISO `yyyy-mm-dd`.
    var iso: String {
        "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2))"
    }

    /// Parses an ISO `yyyy-mm-dd` day, accepting only real dates.
    init?(iso text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Self.digits(parts[0]), let month = Self.digits(parts[1]), let day = Self.digits(parts[2])
        else {
            return nil
        }
        self.init(year: year, month: month, day: day)
    }

    static func isLeap(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// The value of a string made only of ASCII digits; nil for anything else, including signs and other scripts.
    static func digits(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
            return nil
        }
        return Int(text)
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
