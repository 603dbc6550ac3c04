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
        for copy in copies(into: tables) { try connection.copyIn(copy.sql, copy.rows) }
    }

    /// The COPY statements `copy` runs, with their rows (the benchmark's floors send them as they are).
    package func copies(into tables: ProjectionTables = .live) -> [(sql: String, rows: CopyRows)] {
        var copies: [(sql: String, rows: CopyRows)] = []
        if !audit.isEmpty {
            copies.append((
                "COPY \(tables.auditLog) (\(AuditRow.columns)) FROM STDIN", Self.copyRows(audit) { $0.columns(to: &$1) }))
        }
        if !revisions.isEmpty {
            copies.append((
                "COPY \(tables.revisions) (\(RevisionRow.columns)) FROM STDIN",
                Self.copyRows(revisions) { $0.columns(to: &$1) }))
        }
        if !users.isEmpty {
            copies.append((
                "COPY \(tables.users) (\(UserRow.columns)) FROM STDIN", Self.copyRows(users) { $0.columns(to: &$1) }))
        }
        if !articles.isEmpty {
            copies.append((
                "COPY \(tables.articles) (\(ArticleRow.columns)) FROM STDIN",
                Self.copyRows(articles) { $0.columns(to: &$1) }))
        }
        return copies
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
