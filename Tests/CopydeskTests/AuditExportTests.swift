import Copydesk
import Editorial
import Foundation
import Testing
import TestSupport

/// A store with two articles and notes that are hard on CSV: commas, quotes, line breaks, Cyrillic.
private struct AuditScenario {
    static let trickyNote = "Поправил имя консула, \"Асхат\"\nвторая строка, с запятой\r\nи \"кавычки\""
    static let reason = "Name the minister, please; \"quote\" him"

    let fixture: WorkflowFixture
    let first: UUID
    let second: UUID
    /// Between the first article's events and the second's.
    let midpoint: Date

    init() async throws {
        // One step a minute: the fixture adds its four users at 08:56-08:59 (one clock reading each),
        // then one command a minute from 2026-03-01T09:00Z: the approval is at 09:05, the publication at 09:06.
        let clock = SteppingClock(start: Date(timeIntervalSince1970: 1_772_355_600 - 4 * 60), step: 60)
        fixture = try await WorkflowFixture { clock.next() }
        first = try await fixture.draft(ArticleContent(title: "Консул", body: "Текст"))
        try await fixture.run(.edit(ContentChanges(body: "Текст, исправленный"), note: Self.trickyNote), on: first, as: fixture.alice)
        try await fixture.run(.submit, on: first, as: fixture.alice)
        try await fixture.run(.requestChanges(reason: Self.reason), on: first, as: fixture.bob)
        try await fixture.run(.submit, on: first, as: fixture.alice)
        try await fixture.run(.approve(note: nil), on: first, as: fixture.dave)
        midpoint = Date(timeIntervalSince1970: 1_772_355_600 + 5.5 * 60)
        try await fixture.run(.publish(at: nil), on: first, as: fixture.carol)
        second = try await fixture.draft(ArticleContent(title: "Harbour reopens"), as: fixture.bob)
        try await fixture.run(.comment(text: "Check the photo credit, line 2"), on: second, as: fixture.dave)
    }

    func records(_ filter: AuditFilter = AuditFilter()) async throws -> [AuditRecord] {
        var records: [AuditRecord] = []
        for try await record in fixture.app.queries.audit(filter) { records.append(record) }
        return records
    }
}

@Suite("Audit export: filters, CSV, JSON lines and table")
struct AuditExportTests {
    @Test("the export has one record per event in log order, and each filter keeps exactly its events")
    func filters() async throws {
        let scenario = try await AuditScenario()
        let all = try await scenario.records()
        #expect(all.count == (try await scenario.fixture.allEventCount()))
        // The fixture's users come first, as rows about a user rather than an article.
        let users = scenario.fixture.users.flatMap { [$0.name, $0.name] }
        #expect(all.prefix(users.count).map(\.user) == users)
        #expect(all.prefix(users.count).allSatisfy { $0.articleId == nil })
        #expect(all.dropFirst(users.count).allSatisfy { $0.user == nil && $0.articleId != nil })
        #expect(all.filter { $0.articleId != nil }.count == (try await scenario.fixture.eventCount()))
        #expect(all.map(\.position) == all.map(\.position).sorted())
        #expect(Set(all.map(\.position)).count == all.count)
        #expect(all.contains { $0.note == AuditScenario.trickyNote && $0.action == "edit" && $0.changed == ["body"] })
        #expect(all.contains { $0.reason == AuditScenario.reason && $0.stateBefore == "in_review" })

        #expect(try await scenario.records(AuditFilter(actor: "bob")) == all.filter { $0.actor == "bob" })
        #expect(try await scenario.records(AuditFilter(actor: "nobody")).isEmpty)
        let second = try await scenario.records(AuditFilter(articleId: scenario.second))
        #expect(second.map(\.action) == ["draft", "comment"])
        #expect(try await scenario.records(AuditFilter(type: "ArticlePublished")).map(\.action) == ["publish"])
        #expect(try await scenario.records(AuditFilter(type: "submit")).count == 2)
        #expect(try await scenario.records(AuditFilter(actor: "alice", type: "edit")).count == 1)

        let before = try await scenario.records(AuditFilter(until: scenario.midpoint))
        let after = try await scenario.records(AuditFilter(since: scenario.midpoint))
        let usersAdded = scenario.fixture.users.flatMap { _ in ["add-user", "issue-token"] }
        #expect(before.map(\.action) == usersAdded + ["draft", "edit", "submit", "request-changes", "submit", "approve"])
        #expect(before + after == all)
        let window = try await scenario.records(AuditFilter(since: scenario.midpoint, until: all[all.count - 1].at))
        #expect(window.map(\.action) == ["publish", "draft"])
    }

    @Test("CSV parses back with one row per event, notes with commas, quotes and line breaks intact")
    func csv() async throws {
        let scenario = try await AuditScenario()
        let cli = CLI(databaseURL: scenario.fixture.database.ownerConninfo)
        let run = try cli("audit", "--format", "csv")
        #expect(run.status == 0, "\(run.stderr)")
        let rows = try CSVParser.parse(run.stdout)
        let all = try await scenario.records()
        #expect(rows.count == all.count + 1)
        #expect(rows.first == AuditRecord.csvHeader.split(separator: ",").map(String.init))
        #expect(rows.allSatisfy { $0.count == 17 })
        let header = rows[0]
        for (row, record) in zip(rows.dropFirst(), all) {
            let field = { (name: String) in row[header.firstIndex(of: name) ?? 0] }
            #expect(field("position") == String(record.position))
            #expect(field("article_id") == (record.articleId?.lowercased ?? ""))
            #expect(field("user") == (record.user ?? ""))
            #expect(field("note") == (record.note ?? ""))
            #expect(field("reason") == (record.reason ?? ""))
            #expect(field("state_after") == record.stateAfter)
            #expect(field("time").hasSuffix("Z") && field("time").contains("."))
        }
        #expect(rows.contains { $0.contains(AuditScenario.trickyNote) })

        let bob = try CSVParser.parse(try cli("audit", "--format", "csv", "--actor", "bob", "--bom").stdout)
        #expect(bob.first?.first == "\u{FEFF}position")
        #expect(bob.count == all.filter { $0.actor == "bob" }.count + 1)
    }

    @Test("JSON lines: one object per event, every key present, filters from the command line")
    func jsonLines() async throws {
        let scenario = try await AuditScenario()
        let cli = CLI(databaseURL: scenario.fixture.database.ownerConninfo)
        let run = try cli("audit", "--format", "jsonl")
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        let all = try await scenario.records()
        #expect(lines.count == all.count && run.stdout.hasSuffix("\n"))
        let objects = try lines.map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        for key in ["position", "at", "actor", "articleId", "user", "version", "action", "eventType", "stateBefore",
                    "stateAfter", "changed", "reason", "note", "origin", "correlationId", "commandId"] {
            #expect(objects.allSatisfy { $0[key] != nil }, "every line has \(key)")
        }
        #expect(objects.contains { $0["note"] as? String == AuditScenario.trickyNote })

        let article = try cli("audit", "--format", "jsonl", "--article", scenario.second.uuidString, "--type", "comment")
        #expect(article.stdout.split(separator: "\n").count == 1 && article.stdout.contains("\"dave\""))
        let late = try cli("audit", "--format", "jsonl", "--since", "2026-03-01T09:05:30Z")  // the midpoint
        #expect(late.stdout.split(separator: "\n").count == 3, "\(late.stderr)")
    }

    @Test("the table prints one line per event, even for notes with line breaks; bad options are usage errors")
    func table() async throws {
        let scenario = try await AuditScenario()
        let cli = CLI(databaseURL: scenario.fixture.database.ownerConninfo)
        let run = try cli("audit")
        #expect(run.status == 0)
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.count == (try await scenario.fixture.allEventCount()) + 1)
        #expect(lines.first?.hasPrefix("POSITION") == true)
        #expect(lines.contains { $0.contains("in_review → changes_requested") && $0.contains("reason: Name the minister") })
        #expect(try cli("audit", "--since", "yesterday").status == 64)
        #expect(try cli("audit", "--format", "xml").status == 64)
        #expect(try cli("audit", "--article", "not-an-id").status == 64)
    }

    @Test("read in small pages, the export is the same: every record once, in order, limit and start kept")
    func pages() async throws {
        let scenario = try await AuditScenario()
        let queries = scenario.fixture.app.queries
        let all = try await scenario.records()
        func paged(_ filter: AuditFilter, pageSize: Int) async throws -> [AuditRecord] {
            var records: [AuditRecord] = []
            for try await record in queries.audit(filter, pageSize: pageSize) { records.append(record) }
            return records
        }
        for pageSize in [1, 2, 3, all.count, all.count + 1] {
            #expect(try await paged(AuditFilter(), pageSize: pageSize) == all, "page size \(pageSize)")
        }
        #expect(try await paged(AuditFilter(limit: 5), pageSize: 2) == Array(all.prefix(5)))
        let middle = try await paged(AuditFilter(afterPosition: all[3].position, limit: 4), pageSize: 3)
        #expect(middle == Array(all[4..<8]))
        #expect(try await paged(AuditFilter(actor: "dave"), pageSize: 1) == all.filter { $0.actor == "dave" })
    }
}

/// A strict RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks;
/// records end with CRLF or LF.
enum CSVParser {
    struct Malformed: Error {}

    static func parse(_ text: String) throws -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        var inQuotes = false
        var pending: Unicode.Scalar? = nil
        func endField() {
            row.append(String(field))
            field = String.UnicodeScalarView()
        }
        while let scalar = pending ?? scalars.next() {
            pending = nil
            if inQuotes {
                if scalar == "\"" {
                    let next = scalars.next()
                    if next == "\"" {
                        field.append("\"")
                    } else {
                        inQuotes = false
                        pending = next
                    }
                } else {
                    field.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"":
                guard field.isEmpty else { throw Malformed() }
                inQuotes = true
            case ",":
                endField()
            case "\r":
                guard scalars.next() == "\n" else { throw Malformed() }
                endField()
                rows.append(row)
                row = []
            case "\n":
                endField()
                rows.append(row)
                row = []
            default:
                field.append(scalar)
            }
        }
        guard !inQuotes else { throw Malformed() }
        if !field.isEmpty || !row.isEmpty {
            endField()
            rows.append(row)
        }
        return rows
    }
}
