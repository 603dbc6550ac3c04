import Postgres

/// A row where a rebuilt projection and the live one disagree.
public struct ProjectionDifference: Sendable, Hashable, CustomStringConvertible {
    public let table: String
    /// The row's key: article id, `article@version` or global position.
    public let key: String
    /// What differs: the column names, or that the row is missing on one side.
    public let problem: String

    public var description: String { "\(table) \(key): \(problem)" }

    /// The tables compared, with the expression that keys their rows.
    static let tables: [(name: String, key: String)] = [
        ("articles", "id::text"),
        ("revisions", "article_id::text || '@' || version"),
        ("audit_log", "global_position::text"),
    ]

    /// Compares the temporary rebuilt tables with the live ones, on this connection's snapshot.
    ///
    /// `articles.search` is left out: the live table generates it from the compared columns, and
    /// the rebuilt copy leaves it empty (it is computed once, when the rows are swapped in).
    static func all(on connection: isolated Connection) throws -> [ProjectionDifference] {
        var differences: [ProjectionDifference] = []
        for table in tables {
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
                FROM (SELECT \(table.key) AS row_key, to_jsonb(t) - 'search' AS content
                      FROM pg_temp.\(table.name) t) AS r
                FULL JOIN (SELECT \(table.key) AS row_key, to_jsonb(t) - 'search' AS content
                           FROM public.\(table.name) t) AS l
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
