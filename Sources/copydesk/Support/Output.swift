import Copydesk
import Foundation
import Timestamps

/// Output helpers shared by the commands: JSON for scripts, aligned tables and short times for people.
enum Output {
    /// JSON in Copydesk's format (see `JSONFormat`).
    static func json<T: Encodable>(_ value: T, pretty: Bool = true) throws -> String {
        String(decoding: try JSONFormat.encoder(pretty: pretty).encode(value), as: UTF8.self)
    }

    /// The zone human formats show times in: the local one (`TZ`), or UTC with `--utc`. JSON, CSV and JSON
    /// lines always write UTC.
    @TaskLocal static var timeZone: TimeZone = .current

    /// `2026-11-25T07:02:08+03:00` in `timeZone` (`2026-11-25T04:02:08Z` in UTC), or with milliseconds; in
    /// UTC exactly as JSON output writes it (both by `Timestamp`, so the short form is the long one without its
    /// fraction). ISO 8601 with the offset, so a time copied from the output means the same instant in `--at`.
    static func timestamp(_ date: Date, milliseconds: Bool = false) -> String {
        let precision: Timestamp.Precision = milliseconds ? .milliseconds : .seconds
        let offset = timeZone.secondsFromGMT(for: date)
        guard offset != 0 else { return Timestamp.string(date, precision) }
        let shifted = date.addingTimeInterval(TimeInterval(offset))
        let local = String(Timestamp.string(shifted, precision).dropLast())  // without its Z
        let minutes = abs(offset) / 60
        let sign = offset < 0 ? "-" : "+"
        return local + sign + String(format: "%02d:%02d", minutes / 60, minutes % 60)
    }

    /// An actor as the human formats show it: `[system] scheduler` when Copydesk itself acted (no
    /// user name can hold a bracket), the bare name for a person.
    static func actor(_ name: String, kind: String) -> String {
        kind == "system" ? "[system] \(name)" : name
    }

    /// Columns padded to their widest cell (by characters, so Cyrillic lines up too); every cell is
    /// one line of `TerminalText`, so no cell can break its row or act on the terminal.
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        let all = ([header] + rows).map { $0.map(TerminalText.line) }
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - cell.count)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// Cuts `text` to `limit` characters, marking the cut (escape it with `TerminalText` first, so
    /// the limit counts what is shown).
    static func truncated(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}

extension Output {
    /// Whether standard output gets colours: on a terminal, unless NO_COLOR is set (https://no-color.org).
    static var colorsStandardOutput: Bool {
        isatty(STDOUT_FILENO) == 1 && (ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
    }

    /// "1 article", "2 articles", "1,000 events": the count, grouped, with the noun in the right number.
    static func count(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(count.grouped) " + (count == 1 ? singular : plural ?? singular + "s")
    }
}
