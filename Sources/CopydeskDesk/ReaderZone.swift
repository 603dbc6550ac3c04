import Foundation
import Hummingbird
import Timestamps

/// The reader's time zone: the IANA zone desk.js puts in the `copydesk_zone` cookie (or a form's
/// `zone` field), UTC without JavaScript. Times are shown in it, with UTC beside (`title`).
struct ReaderZone {
    let zone: TimeZone

    init(identifier: String?) {
        let name = identifier?.removingPercentEncoding ?? ""
        // Only plausible IANA names reach TimeZone (letters, digits, '/', '_', '-', '+').
        let plausible =
            !name.isEmpty && name.count <= 64
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "/_-+".contains($0)) }
        zone = plausible ? TimeZone(identifier: name) ?? .gmt : .gmt
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

        /// The time as `time.mustache` shows it, for rows built in Swift (`HTMLFragment`).
        var html: HTMLFragment { #"<time datetime="\#(iso)" title="\#(utc)">\#(local)</time>"# }
    }

    func show(_ date: Date) -> Shown {
        let utc = format(date, in: .gmt)
        return Shown(iso: Timestamp.string(date), local: zone == .gmt ? utc : format(date, in: zone), utc: utc)
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

    /// `yyyy-mm-dd hh:mm` and the zone's abbreviation: the UTC text of the instant moved by the
    /// zone's offset at that instant (a Calendar per time cost more than the rest of a list page).
    private func format(_ date: Date, in zone: TimeZone) -> String {
        let isUTC = zone == .gmt
        let offset = isUTC ? 0 : zone.secondsFromGMT(for: date)
        let wallClock = Timestamp.string(date.addingTimeInterval(Double(offset)), .seconds)  // 2026-12-01T10:00:00Z
        let label = isUTC ? "UTC" : (zone.abbreviation(for: date) ?? zone.identifier)
        return "\(wallClock.prefix(10)) \(wallClock.dropFirst(11).prefix(5)) \(label)"
    }
}
