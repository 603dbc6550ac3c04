import Foundation
import Postgres

/// COPY text is positional: the column names are in the COPY statement, not in the data.
extension CopyRows: ProjectionRowWriter {
    mutating func column(_ name: String, _ value: String?) { add(value) }
    mutating func column(_ name: String, _ value: Int64?) { add(value) }
    mutating func column(_ name: String, _ value: Bool) { add(value) }
    mutating func column(_ name: String, _ value: UUID) { add(value) }
    mutating func column(_ name: String, _ value: UUID?) {
        if let value { add(value) } else { add(nil as String?) }
    }
    mutating func column(_ name: String, _ value: Date?) { add(value) }
    mutating func column(_ name: String, _ value: [String]?) { add(value) }
    mutating func column(_ name: String, json value: String?) { add(value) }
}

extension ProjectionBatch {
    /// Writes the batch with COPY, one per table: for tables that hold none of these rows yet
    /// (a rebuild, an import of new articles), where no row needs replacing.
    public func copy(into tables: ProjectionTables = .live, on connection: isolated Connection) throws {
        if !audit.isEmpty {
            try connection.copyIn("COPY \(tables.auditLog) (\(AuditRow.columns)) FROM STDIN", Self.copyRows(audit) {
                $0.columns(to: &$1)
            })
        }
        if !revisions.isEmpty {
            try connection.copyIn(
                "COPY \(tables.revisions) (\(RevisionRow.columns)) FROM STDIN",
                Self.copyRows(revisions) { $0.columns(to: &$1) })
        }
        if !users.isEmpty {
            try connection.copyIn(
                "COPY \(tables.users) (\(UserRow.columns)) FROM STDIN", Self.copyRows(users) { $0.columns(to: &$1) })
        }
        if !articles.isEmpty {
            try connection.copyIn(
                "COPY \(tables.articles) (\(ArticleRow.columns)) FROM STDIN",
                Self.copyRows(articles) { $0.columns(to: &$1) })
        }
    }

    private static func copyRows<Row>(_ rows: [Row], _ columns: (Row, inout CopyRows) -> Void) -> CopyRows {
        var copied = CopyRows()
        for row in rows {
            columns(row, &copied)
            copied.endRow()
        }
        return copied
    }
}
