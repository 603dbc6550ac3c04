import EventStore
import Foundation
import Postgres

// The projection rows as JSON objects for `jsonb_to_recordset`, written by hand: this runs for
// every command, where JSONEncoder cost more than the rest of the Swift side of a command.

extension AuditRow {
    var json: String {
        var object = JSONRows.Object()
        object.add("event_id", event_id.map { $0.postgresText })
        object.add("article_id", article_id.postgresText)
        object.add("version", version)
        object.add("event_type", event_type)
        object.add("action", action)
        object.add("actor", actor)
        object.add("at", at)
        object.add("status_before", status_before)
        object.add("status_after", status_after)
        object.add("changed", changed)
        object.add("reason", reason)
        object.add("note", note)
        object.add("origin", origin)
        object.add("command_id", command_id.postgresText)
        object.add("correlation_id", correlation_id)
        return object.text
    }
}

extension RevisionRow {
    var json: String {
        var object = JSONRows.Object()
        object.add("event_id", event_id.map { $0.postgresText })
        object.add("article_id", article_id.postgresText)
        object.add("version", version)
        object.add("title", title)
        object.add("lead", lead)
        object.add("body", body)
        object.add("section", section)
        object.add("tags", tags)
        object.add("author", author)
        object.add("at", at)
        return object.text
    }
}

extension ArticleRow {
    var json: String {
        var object = JSONRows.Object()
        object.add("id", id.postgresText)
        object.add("status", status)
        object.add("version", version)
        object.add("title", title)
        object.add("lead", lead)
        object.add("body", body)
        object.add("section", section)
        object.add("tags", tags)
        object.add("author", author)
        object.add("created_at", created_at)
        object.add("updated_at", updated_at)
        object.add("original_date", original_date)
        object.add("live_title", live_title)
        object.add("live_lead", live_lead)
        object.add("live_body", live_body)
        object.add("live_section", live_section)
        object.add("live_tags", live_tags)
        object.add("live_published_at", live_published_at)
        object.add("live_published_by", live_published_by)
        object.add("pending_revision", pending_revision)
        object.add("contributors", contributors)
        object.add("scheduled_for", scheduled_for)
        return object.text
    }
}

/// JSON arrays of row objects; times as PostgreSQL's timestamptz text, with microseconds.
enum JSONRows {
    static func array<Row>(_ rows: [Row], _ object: (Row) -> String) -> String {
        "[" + rows.map(object).joined(separator: ",") + "]"
    }

    struct Object {
        private(set) var body = ""

        var text: String { "{" + body + "}" }

        mutating func add(_ key: String, _ value: String?) {
            member(key, value.map(JSONText.quoted) ?? "null")
        }

        mutating func add(_ key: String, _ value: Int64) {
            member(key, String(value))
        }

        mutating func add(_ key: String, _ value: Bool) {
            member(key, value ? "true" : "false")
        }

        mutating func add(_ key: String, _ value: Date?) {
            member(key, value.map { JSONText.quoted($0.postgresText) } ?? "null")
        }

        mutating func add(_ key: String, _ value: [String]?) {
            member(key, value.map { "[" + $0.map(JSONText.quoted).joined(separator: ",") + "]" } ?? "null")
        }

        private mutating func member(_ key: String, _ json: String) {
            if !body.isEmpty { body += "," }
            body += "\"" + key + "\":" + json
        }
    }
}
