import ArgumentParser
import Copydesk
import Foundation

/// `copydesk audit`: every event of every article, filtered, as a table, JSON lines or CSV.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Export the audit log: who did what to which article or user, when, why and from where.",
        discussion: """
            One row per event, in global-log order, streamed as it is read (millions of rows are fine). \
            Every row has: position, time (ISO 8601 UTC, milliseconds), actor, article id (or the user an \
            account change was about), version, action, \
            event type, state before and after, changed fields, reason, note, origin, correlation id and \
            command id. The table shows the main columns for a terminal, with long notes cut; use jsonl or \
            csv for everything. CSV follows RFC 4180: a header row, UTF-8, CRLF line ends, fields with commas, \
            quotes or line breaks quoted, so a note spanning lines stays one row.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, jsonl, csv
    }

    @Option(help: "Only events by this user.") var actor: String?
    @Option(help: "Only events of this article (its id).") var article: ArticleID?
    @Option(help: "Only changes to this user's account (added, role, disabled, tokens).") var user: String?
    @Option(help: "Only events of this type (ArticlePublished) or action (publish); exact match.") var type: String?
    @Option(help: "Only events at or after this time (ISO 8601, e.g. 2026-12-01T09:00:00Z or 2026-12-01).")
    var since: Date?
    @Option(help: "Only events before this time (ISO 8601; the instant itself is excluded).") var until: Date?
    @Option(help: "Output format: table (for people), jsonl (one JSON object per line) or csv.") var format: Format = .table
    @Flag(help: "With csv, start with a UTF-8 byte order mark so that Excel reads non-Latin text correctly.")
    var bom = false
    @OptionGroup var times: TimeOptions

    func validate() throws {
        if let since, let until, since >= until { throw ValidationError("--since must be before --until") }
        if bom, format != .csv { throw ValidationError("--bom applies only to --format csv") }
    }

    func run() async throws {
        try await reportingErrors(utc: times.utc) {
            let backend = try await backendFromEnvironment()
            let filter = AuditFilter(actor: actor, articleId: article?.uuid, user: user, type: type, since: since, until: until)
            var output = LineWriter()
            switch format {
            case .table:
                output.write(AuditTable.header)
                for try await record in backend.audit(filter) { output.write(AuditTable.row(record)) }
            case .jsonl:
                let encoder = JSONFormat.encoder()
                for try await record in backend.audit(filter) {
                    output.write(String(decoding: try encoder.encode(record), as: UTF8.self))
                }
            case .csv:
                output.write((bom ? "\u{FEFF}" : "") + AuditRecord.csvHeader, ending: "\r\n")
                for try await record in backend.audit(filter) { output.write(record.csvRecord, ending: "\r\n") }
            }
            output.flush()
        }
    }
}

/// Fixed-width columns, since rows are printed as they stream and widths cannot be measured first.
enum AuditTable {
    static let widths = [8, 29, 20, 36, 4, 15, 30, 20]

    static var header: String {
        line(["POSITION", "TIME", "ACTOR", "ARTICLE OR USER", "V", "ACTION", "STATE", "CHANGED", "DETAILS"])
    }

    static func row(_ record: AuditRecord) -> String {
        let state = record.stateBefore.map { $0 == record.stateAfter ? $0 : "\($0) → \(record.stateAfter)" }
            ?? record.stateAfter
        var details: [String] = []
        if let reason = record.reason { details.append("reason: " + reason) }
        if let note = record.note { details.append("note: " + note) }
        if record.origin != "cli" { details.append("via " + record.origin) }
        let detail = TerminalText.line(details.joined(separator: "; "))
        return line([
            String(record.position), Output.timestamp(record.at, milliseconds: true),
            Output.actor(record.actor, kind: record.actorKind),
            record.articleId?.lowercased ?? "user \(record.user ?? "")", String(record.version), record.action, state,
            record.changed.joined(separator: ","), Output.truncated(detail, 70),
        ])
    }

    private static func line(_ cells: [String]) -> String {
        var line = cells.enumerated().map { column, cell in
            let cell = TerminalText.line(cell)
            guard column < widths.count else { return cell }
            let fitted = Output.truncated(cell, widths[column])
            return fitted + String(repeating: " ", count: max(0, widths[column] - fitted.count))
        }.joined(separator: "  ")
        while line.last == " " { line.removeLast() }
        return line
    }
}

/// Standard output with its own buffer: one write per 64 KiB rather than one per row.
struct LineWriter {
    private var buffer: [UInt8] = []

    mutating func write(_ line: String, ending: String = "\n") {
        buffer.append(contentsOf: line.utf8)
        buffer.append(contentsOf: ending.utf8)
        if buffer.count >= 65_536 { flush() }
    }

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}
