import Postgres

/// The tables a rebuild fills beside the live projections, and the swap that puts them in their
/// place.
///
/// The shadow tables are real, committed tables, so that several workers, each in its own
/// transaction, can fill them side by side; a rebuild drops them when it ends, swapped in or not,
/// and the next one drops what a crashed one left. Only the owner sees them until `finish`. They
/// get their indexes only once filled, built in one pass each, and everything is done before the
/// swap, which is then a few renames. Index, constraint, grant and owner
/// definitions are read from the catalog, so they follow whatever the migrations made.
package enum ShadowTables {
    package static let tables = ProjectionTables(
        articles: "public.articles_replay", revisions: "public.revisions_replay", auditLog: "public.audit_log_replay",
        articleSearch: "public.article_search_replay", users: "public.users_replay")

    /// Marks an index or constraint of a shadow table until the swap gives it the live name.
    static let suffix = "_replay"

    /// Serializes rebuilds (`replay` and `verify` both use the shadow names), held by the session.
    static let lockKey: Int64 = 0x636F_7079_6465_736B  // "copydesk"

    /// The live tables' columns, defaults, checks, compression and triggers (those that fill the
    /// search table beside the articles table); no index yet.
    package static func create(on connection: isolated Connection) throws {
        for (live, shadow) in ProjectionTables.live.paired(with: tables) {
            try connection.executeScript(
                """
                CREATE TABLE \(shadow) (LIKE \(live) INCLUDING DEFAULTS INCLUDING GENERATED INCLUDING CONSTRAINTS
                                                  INCLUDING COMPRESSION)
                """)
        }
        // LIKE copies no trigger. Trigger names belong to their table, so they need no renaming.
        let triggers = try connection.query(
            """
            WITH pairs(live, shadow) AS (\(pairsSQL))
            SELECT regexp_replace(pg_get_triggerdef(t.oid), ' ON \\S+ ', ' ON ' || p.shadow::text || ' ')
            FROM pg_trigger t JOIN pairs p ON t.tgrelid = p.live
            WHERE NOT t.tgisinternal
            """)
        for row in triggers.rows { try connection.executeScript(try row.decode(0, as: String.self)) }
    }

    /// Drops the shadow tables, if any: a rebuild's own when it ends, or those a crashed one left.
    package static func drop(on connection: isolated Connection) throws {
        let names = ProjectionTables.live.paired(with: tables).map(\.1)
        try connection.executeScript("DROP TABLE IF EXISTS " + names.joined(separator: ", "))
    }

    /// Builds a live table's unique constraints and indexes on its filled shadow table `shadow`
    /// (named with the suffix), gives it the live table's grants and owner, and gathers statistics.
    /// One table at a time, so that the tables can be finished side by side.
    package static func finish(_ shadow: String, on connection: isolated Connection) throws {
        guard let pair = ProjectionTables.live.paired(with: tables).first(where: { $0.1 == shadow }) else {
            preconditionFailure("\(shadow) is not a shadow table")
        }
        // Index builds sort in memory up to this much (default 64 MB), for this transaction only: up
        // to five times this at once, as the tables are finished side by side.
        try connection.executeScript("SET LOCAL maintenance_work_mem = '256MB'")
        let statements = try connection.query(
            """
            WITH pairs(live, shadow) AS (\(pairsSQL([pair])))
            SELECT 1 AS step, format('ALTER TABLE %s ADD CONSTRAINT %I %s', p.shadow, c.conname || $1,
                                     pg_get_constraintdef(c.oid))
            FROM pg_constraint c JOIN pairs p ON c.conrelid = p.live
            WHERE c.contype IN ('p', 'u')
            UNION ALL
            SELECT 2, format('CREATE %sINDEX %I ON %s USING %s', CASE WHEN i.indisunique THEN 'UNIQUE ' ELSE '' END,
                             x.relname || $1, p.shadow, split_part(pg_get_indexdef(i.indexrelid), ' USING ', 2))
            FROM pg_index i JOIN pairs p ON i.indrelid = p.live JOIN pg_class x ON x.oid = i.indexrelid
            WHERE NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            UNION ALL
            SELECT 3, format('GRANT %s ON %s TO %s', a.privilege_type, p.shadow,
                             CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END)
            FROM pg_class t JOIN pairs p ON t.oid = p.live CROSS JOIN LATERAL aclexplode(t.relacl) AS a
            WHERE a.grantee <> t.relowner
            UNION ALL
            SELECT 4, format('ALTER TABLE %s OWNER TO %I', p.shadow, pg_get_userbyid(t.relowner))
            FROM pg_class t JOIN pairs p ON t.oid = p.live
            UNION ALL
            SELECT 5, format('ANALYZE %s', p.shadow) FROM pairs p
            ORDER BY 1
            """,
            [suffix])
        for row in statements.rows { try connection.executeScript(try row.decode(1, as: String.self)) }
    }

    /// Drops the live tables and gives the shadow tables, their constraints and indexes the live
    /// names. Runs inside the caller's transaction: readers wait for it and then see the new tables.
    static func swap(on connection: isolated Connection) throws {
        let renames = try connection.query(
            """
            WITH pairs(live, shadow) AS (\(pairsSQL))
            SELECT format('ALTER TABLE %s RENAME CONSTRAINT %I TO %I', p.live::text, c.conname,
                          left(c.conname, -length($1)))
            FROM pg_constraint c JOIN pairs p ON c.conrelid = p.shadow
            WHERE c.contype IN ('p', 'u') AND right(c.conname, length($1)) = $1
            UNION ALL
            SELECT format('ALTER INDEX %I.%I RENAME TO %I', n.nspname, x.relname, left(x.relname, -length($1)))
            FROM pg_index i JOIN pairs p ON i.indrelid = p.shadow
                 JOIN pg_class x ON x.oid = i.indexrelid JOIN pg_namespace n ON n.oid = x.relnamespace
            WHERE NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = i.indexrelid)
              AND right(x.relname, length($1)) = $1
            """,
            [suffix]
        ).rows.map { try $0.decode(0, as: String.self) }
        let pairs = ProjectionTables.live.paired(with: tables)
        try connection.executeScript("DROP TABLE " + pairs.map(\.0).joined(separator: ", "))
        for (live, shadow) in pairs {
            let bareName = live.split(separator: ".").last.map(String.init) ?? live
            try connection.executeScript("ALTER TABLE \(shadow) RENAME TO \(bareName)")
        }
        // Computed before the drop, while the live names still meant the old tables; the table
        // names in them are the live ones, which now name the renamed shadow tables.
        for rename in renames { try connection.executeScript(rename) }
    }

    /// The (live, shadow) pairs as SQL VALUES of regclass.
    private static var pairsSQL: String { pairsSQL(ProjectionTables.live.paired(with: tables)) }

    private static func pairsSQL(_ pairs: [(String, String)]) -> String {
        "VALUES " + pairs.map { "('\($0)'::regclass, '\($1)'::regclass)" }.joined(separator: ", ")
    }
}
