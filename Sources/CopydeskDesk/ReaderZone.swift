import Foundation
import Hummingbird
import Timestamps

/// The reader's time zone: the IANA zone desk.js puts in the `copydesk_zone` cookie (or a form's
/// `zone` field), UTC without JavaScript. Times are shown in it, with UTC beside (`title`).
struct ReaderZone {
    let zone: TimeZone
    /// Calendars in the reader's zone and in UTC, made once per request: a list page shows
    /// dozens of times, and a formatter per time cost more than the rest of the page.
    private let local: Calendar
    private let utc: Calendar

    init(identifier: String?) {
        let name = identifier?.removingPercentEncoding ?? ""
        // Only plausible IANA names reach TimeZone (letters, digits, '/', '_', '-', '+').
        let plausible =
            !name.isEmpty && name.count <= 64
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "/_-+".contains($0)) }
        zone = plausible ? TimeZone(identifier: name) ?? .gmt : .gmt
        var local = Calendar(identifier: .gregorian)
        local.timeZone = zone
        self.local = local
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = .gmt
        self.utc = utc
    }

    init(request: Request) {
        self.init(identifier: DeskCookies.value(DeskCookies.zone, in: request))
    }

    var identifier: String { zone.identifier == "GMT" ? "UTC" : zone.identifier }

    /// A time as a page shows it.
    struct Shown {
        /// ISO 8601 UTC, for `<time datetime>`.
        let iso: String
        /// In the reader's zone, e.g. `2026-12-01 10:00 CET`.
        let local: String
        /// In UTC, e.g. `2026-12-01 09:00 UTC`.
        let utc: String
    }

    func show(_ date: Date) -> Shown {
        Shown(iso: Timestamp.string(date), local: format(date, in: zone), utc: format(date, in: .gmt))
    }

    /// The `datetime-local` value of `date` in this zone (`2026-12-01T10:00`).
    func inputValue(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm"
        return formatter.string(from: date)
    }

    /// The instant a `datetime-local` value (`2026-12-01T10:00`, seconds optional) names in this zone.
    func date(fromInput text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        for format in ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }

    private func format(_ date: Date, in zone: TimeZone) -> String {
        let calendar = zone == .gmt ? utc : local
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func two(_ value: Int?) -> String { value.map { $0 < 10 ? "0\($0)" : String($0) } ?? "00" }
        let label = zone == .gmt ? "UTC" : (zone.abbreviation(for: date) ?? zone.identifier)
        return "\(parts.year ?? 0)-\(two(parts.month))-\(two(parts.day)) \(two(parts.hour)):\(two(parts.minute)) \(label)"
    }
}
