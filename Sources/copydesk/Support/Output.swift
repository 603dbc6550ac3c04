import Copydesk
import Foundation
import Timestamps

/// Output helpers shared by the commands: JSON for scripts, aligned tables and short times for people.
enum Output {
    /// JSON in Copydesk's format (see `JSONFormat`).
    static func json<T: Encodable>(_ value: T, pretty: Bool = true) throws -> String {
        String(decoding: try JSONFormat.encoder(pretty: pretty).encode(value), as: UTF8.self)
    }

    /// `2026-11-25T04:02:08Z`, or with milliseconds exactly as JSON output writes them (both by
    /// `Timestamp`, so the short form is the long one without its fraction).
    static func timestamp(_ date: Date, milliseconds: Bool = false) -> String {
        Timestamp.string(date, milliseconds ? .milliseconds : .seconds)
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
