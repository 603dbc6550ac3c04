import Postgres

/// A row where a rebuilt projection and the live one disagree.
public struct ProjectionDifference: Sendable, Hashable, CustomStringConvertible {
    public let table: String
    /// The row's key: article id, `article@version`, global position or user name.
    public let key: String
    /// What differs: the column names, or that the row is missing on one side.
    public let problem: String

    public var description: String { "\(table) \(key): \(problem)" }

    /// The expression that keys the rows of each table.
    static func keys(_ tables: ProjectionTables) -> [(name: String, table: String, key: String)] {
        [
            ("articles", tables.articles, "id::text"),
            ("revisions", tables.revisions, "article_id::text || '@' || version"),
            ("audit_log", tables.auditLog, "global_position::text"),
            ("article_search", tables.articleSearch, "article_id::text"),
            ("users", tables.users, "name"),
        ]
    }

    /// Compares rebuilt tables with the live ones, on this connection's snapshot.
    static func all(rebuilt: ProjectionTables, live: ProjectionTables, on connection: isolated Connection) throws
        -> [ProjectionDifference]
    {
        var differences: [ProjectionDifference] = []
        for (table, liveTable) in zip(keys(rebuilt), keys(live)) {
            let rows = try connection.query(
                """
                SELECT coalesce(r.row_key, l.row_key) AS row_key,
                       CASE WHEN l.row_key IS NULL THEN 'missing from the live projection'
                            WHEN r.row_key IS NULL THEN 'in the live projection, but no event produces it'
                            ELSE 'differs in ' || (
                                SELECT string_agg(c.key, ', ' ORDER BY c.key)
                                FROM jsonb_each(r.content) AS c
                                WHERE c.value IS DISTINCT FROM l.content -> c.key)
                       END AS problem
                FROM (SELECT \(table.key) AS row_key, to_jsonb(t) AS content FROM \(table.table) t) AS r
                FULL JOIN (SELECT \(liveTable.key) AS row_key, to_jsonb(t) AS content
                           FROM \(liveTable.table) t) AS l
                    ON l.row_key = r.row_key
                WHERE r.row_key IS NULL OR l.row_key IS NULL OR r.content <> l.content
                ORDER BY 1
                """)
            for row in rows.rows {
                differences.append(ProjectionDifference(
                    table: table.name, key: try row.decode("row_key"), problem: try row.decode("problem")))
            }
        }
        return differences
    }
}
