import Foundation
import Postgres

// The projection rows in COPY text format, field by field in the order of each type's `columns`.

extension AuditRow {
    func add(to rows: inout CopyRows) {
        rows.add(global_position)
        rows.add(article_id)
        rows.add(version)
        rows.add(event_type)
        rows.add(action)
        rows.add(actor)
        rows.add(at)
        rows.add(status_before)
        rows.add(status_after)
        rows.add(changed)
        rows.add(reason)
        rows.add(note)
        rows.add(origin)
        rows.add(command_id)
        rows.add(correlation_id)
        rows.endRow()
    }
}

extension RevisionRow {
    func add(to rows: inout CopyRows) {
        rows.add(article_id)
        rows.add(version)
        rows.add(title)
        rows.add(lead)
        rows.add(body)
        rows.add(section)
        rows.add(tags)
        rows.add(author)
        rows.add(at)
        rows.endRow()
    }
}

extension ArticleRow {
    func add(to rows: inout CopyRows) {
        rows.add(id)
        rows.add(status)
        rows.add(version)
        rows.add(title)
        rows.add(lead)
        rows.add(body)
        rows.add(section)
        rows.add(tags)
        rows.add(author)
        rows.add(created_at)
        rows.add(updated_at)
        rows.add(original_date)
        rows.add(live_title)
        rows.add(live_lead)
        rows.add(live_body)
        rows.add(live_section)
        rows.add(live_tags)
        rows.add(live_published_at)
        rows.add(live_published_by)
        rows.add(pending_revision)
        rows.add(contributors)
        rows.add(scheduled_for)
        rows.endRow()
    }
}

extension ProjectionBatch {
    /// Writes the batch with COPY, one per table: for tables that hold none of these rows yet
    /// (a rebuild, an import of new articles), where no row needs replacing.
    public func copy(into tables: ProjectionTables = .live, on connection: isolated Connection) throws {
        if !audit.isEmpty {
            var rows = CopyRows()
            for row in audit { row.add(to: &rows) }
            try connection.copyIn("COPY \(tables.auditLog) (\(AuditRow.columns)) FROM STDIN", rows)
        }
        if !revisions.isEmpty {
            var rows = CopyRows()
            for row in revisions { row.add(to: &rows) }
            try connection.copyIn("COPY \(tables.revisions) (\(RevisionRow.columns)) FROM STDIN", rows)
        }
        if !articles.isEmpty {
            var rows = CopyRows()
            for row in articles { row.add(to: &rows) }
            try connection.copyIn("COPY \(tables.articles) (\(ArticleRow.columns)) FROM STDIN", rows)
        }
    }
}
