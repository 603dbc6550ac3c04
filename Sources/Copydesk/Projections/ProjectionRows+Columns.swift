import Foundation
import Postgres

/// Takes a projection row's columns one at a time, in the order of its type's `columns`: the
/// COPY text that import and replay send, or the JSON object a command sends.
protocol ProjectionRowWriter {
    mutating func column(_ name: String, _ value: String?)
    mutating func column(_ name: String, _ value: Int64?)
    mutating func column(_ name: String, _ value: Bool)
    mutating func column(_ name: String, _ value: UUID)
    mutating func column(_ name: String, _ value: UUID?)
    mutating func column(_ name: String, _ value: Date?)
    mutating func column(_ name: String, _ value: [String]?)
    mutating func column(_ name: String, json value: String?)
}

extension AuditRow {
    func columns(to writer: inout some ProjectionRowWriter) {
        writer.column("global_position", global_position)
        writer.column("article_id", article_id)
        writer.column("user_name", user_name)
        writer.column("version", version)
        writer.column("event_type", event_type)
        writer.column("action", action)
        writer.column("actor", actor)
        writer.column("actor_kind", actor_kind)
        writer.column("at", at)
        writer.column("status_before", status_before)
        writer.column("status_after", status_after)
        writer.column("changed", changed)
        writer.column("reason", reason)
        writer.column("note", note)
        writer.column("origin", origin)
        writer.column("command_id", command_id)
        writer.column("correlation_id", correlation_id)
    }
}

extension RevisionRow {
    func columns(to writer: inout some ProjectionRowWriter) {
        writer.column("article_id", article_id)
        writer.column("version", version)
        writer.column("title", title)
        writer.column("lead", lead)
        writer.column("body", body)
        writer.column("section", section)
        writer.column("tags", tags)
        writer.column("author", author)
        writer.column("at", at)
    }
}

extension ArticleRow {
    func columns(to writer: inout some ProjectionRowWriter) {
        writer.column("id", id)
        writer.column("status", status)
        writer.column("version", version)
        writer.column("title", title)
        writer.column("lead", lead)
        writer.column("body", body)
        writer.column("section", section)
        writer.column("tags", tags)
        writer.column("author", author)
        writer.column("created_at", created_at)
        writer.column("updated_at", updated_at)
        writer.column("original_date", original_date)
        writer.column("live_title", live_title)
        writer.column("live_lead", live_lead)
        writer.column("live_body", live_body)
        writer.column("live_section", live_section)
        writer.column("live_tags", live_tags)
        writer.column("live_published_at", live_published_at)
        writer.column("live_published_by", live_published_by)
        writer.column("pending_revision", pending_revision)
        writer.column("contributors", contributors)
        writer.column("scheduled_for", scheduled_for)
        writer.column("last_live_content", json: last_live_content)
    }
}
