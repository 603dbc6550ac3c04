import EventStore
import Foundation
import Postgres

// The projection rows as JSON objects for `jsonb_to_recordset`, written by hand: this runs for
// every command, where JSONEncoder cost more than the rest of the Swift side of a command.
// Keys the statement's column list does not name (`global_position`, still null) are ignored.

extension AuditRow {
    var json: String {
        var object = JSONRows.Object()
        object.column("event_id", event_id)
        columns(to: &object)
        return object.text
    }
}

extension RevisionRow {
    var json: String {
        var object = JSONRows.Object()
        object.column("event_id", event_id)
        columns(to: &object)
        return object.text
    }
}

extension ArticleRow {
    var json: String {
        var object = JSONRows.Object()
        columns(to: &object)
        return object.text
    }
}

/// JSON arrays of row objects; times as PostgreSQL's timestamptz text, with microseconds.
enum JSONRows {
    static func array<Row>(_ rows: [Row], _ object: (Row) -> String) -> String {
        "[" + rows.map(object).joined(separator: ",") + "]"
    }

    struct Object: ProjectionRowWriter {
        private(set) var body = ""

        var text: String { "{" + body + "}" }

        mutating func column(_ name: String, _ value: String?) {
            member(name, value.map(JSONText.quoted) ?? "null")
        }

        mutating func column(_ name: String, _ value: Int64?) {
            member(name, value.map { String($0) } ?? "null")
        }

        mutating func column(_ name: String, _ value: Bool) {
            member(name, value ? "true" : "false")
        }

        mutating func column(_ name: String, _ value: UUID) {
            member(name, "\"" + value.postgresText + "\"")
        }

        mutating func column(_ name: String, _ value: UUID?) {
            member(name, value.map { "\"" + $0.postgresText + "\"" } ?? "null")
        }

        mutating func column(_ name: String, _ value: Date?) {
            member(name, value.map { JSONText.quoted($0.postgresText) } ?? "null")
        }

        mutating func column(_ name: String, _ value: [String]?) {
            member(name, value.map { "[" + $0.map(JSONText.quoted).joined(separator: ",") + "]" } ?? "null")
        }

        /// A `jsonb` column: the JSON as it is, not as a string.
        mutating func column(_ name: String, json value: String?) {
            member(name, value ?? "null")
        }

        private mutating func member(_ name: String, _ json: String) {
            // Appended piece by piece: concatenating them first made a string per piece, per member.
            if !body.isEmpty { body += "," }
            body += "\""
            body += name
            body += "\":"
            body += json
        }
    }
}
