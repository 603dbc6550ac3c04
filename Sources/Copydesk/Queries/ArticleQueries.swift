import Foundation
import Postgres

/// Reads articles from the projections (never by folding events on each request), on a
/// streaming replica when there is one (`ReadSource`).
public struct ArticleQueries: Sendable {
    public let reads: ReadSource

    public init(reads: ReadSource) {
        self.reads = reads
    }

    public init(pool: ConnectionPool) {
        self.init(reads: ReadSource(primary: pool))
    }

    /// The article with this id, or nil.
    public func article(_ id: UUID) async throws -> ArticleView? {
        try await reads.withConnection { connection in
            try await connection.query(
                """
                SELECT id, status, version, title, lead, body, section, tags, author, created_at, updated_at,
                       original_date::text AS original_date, live_title, live_lead, live_body, live_section,
                       live_tags, live_published_at, live_published_by, pending_revision, scheduled_for
                FROM articles WHERE id = $1
                """,
                [id]
            ).first.map(Self.view)
        }
    }

    /// Articles matching `filter`, best search match first, otherwise most recently updated first.
    public func list(_ filter: ArticleFilter) async throws -> [ArticleSummary] {
        try await reads.withConnection { connection in
            try await connection.query(
                filter.search == nil ? Self.listSQL : Self.searchSQL,
                [filter.state, filter.author, filter.section, filter.search, filter.limit, filter.offset, filter.live]
            ).rows.map { row in
                ArticleSummary(
                    id: try row.decode("id"), state: try row.decode("status"), version: try row.decode("version"),
                    title: try row.decode("title"), section: try row.decode("section"),
                    author: try row.decode("author"), updatedAt: try row.decode("updated_at"),
                    isLive: try row.decode("is_live"), pendingRevision: try row.decode("pending_revision"))
            }
        }
    }

    /// `list` without a search: the newest first, in the order of the (updated_at, id) index, with
    /// one plan for every call. The search's statement, given no words, is planned afresh on every
    /// call (0.7 ms, its generic plan scans every article), which was most of a desk page's SQL.
    /// `$4` is always NULL here.
    package static let listSQL = """
        SELECT id, status, version, title, section, author, updated_at,
               live_published_at IS NOT NULL AS is_live, pending_revision
        FROM articles
        WHERE ($1::text IS NULL OR status = $1)
          AND ($2::text IS NULL OR author = $2)
          AND ($3::text IS NULL OR section = $3)
          AND ($4::text IS NULL)
          AND ($7::boolean IS NULL OR (live_published_at IS NOT NULL) = $7)
        ORDER BY updated_at DESC, id
        LIMIT $5 OFFSET $6
        """

    private static let searchSQL = """
        WITH query AS (
            -- The vectors hold the words as the russian configuration stems them (Cyrillic in
            -- Russian, Latin script in English: sql/008). The english configuration leaves
            -- Cyrillic words as typed, which still finds a text whose Russian stem is that
            -- word when the Russian stem of the query word is shorter ("паром" -> "пар").
            SELECT websearch_to_tsquery('russian', $4) || websearch_to_tsquery('english', $4) AS q
        )
        SELECT a.id, status, version, title, section, author, updated_at,
               live_published_at IS NOT NULL AS is_live, pending_revision
        FROM articles AS a CROSS JOIN query
        LEFT JOIN article_search AS s ON query.q IS NOT NULL AND s.article_id = a.id
        WHERE ($1::text IS NULL OR status = $1)
          AND ($2::text IS NULL OR author = $2)
          AND ($3::text IS NULL OR section = $3)
          AND (query.q IS NULL OR s.search @@ query.q)
          AND ($7::boolean IS NULL OR (live_published_at IS NOT NULL) = $7)
        ORDER BY CASE WHEN query.q IS NULL THEN 0 ELSE ts_rank(s.search, query.q) END DESC,
                 updated_at DESC, a.id
        LIMIT $5 OFFSET $6
        """

    /// Every event of the article, oldest first; empty when the article does not exist.
    public func history(_ id: UUID) async throws -> [HistoryEntry] {
        try await reads.withConnection { connection in
            try await connection.query(
                "SELECT \(Self.historyColumns) FROM audit_log WHERE article_id = $1 ORDER BY version", [id]
            ).rows.map(Self.historyEntry)
        }
    }

    static let historyColumns = """
        version, global_position, event_type, action, actor, actor_kind, at, status_before, status_after,
        changed, reason, note, origin, command_id, correlation_id
        """

    static func historyEntry(_ row: Row) throws -> HistoryEntry {
        HistoryEntry(
            version: try row.decode("version"), position: try row.decode("global_position"),
            type: try row.decode("event_type"), action: try row.decode("action"),
            actor: try row.decode("actor"), actorKind: try row.decode("actor_kind"), at: try row.decode("at"),
            stateBefore: try row.decodeIfPresent("status_before"), stateAfter: try row.decode("status_after"),
            changed: try row.decode("changed"), reason: try row.decodeIfPresent("reason"),
            note: try row.decodeIfPresent("note"), origin: try row.decode("origin"),
            commandId: try row.decode("command_id"), correlationId: try row.decode("correlation_id"))
    }

    static func view(_ row: Row) throws -> ArticleView {
        var live: ArticleView.Live?
        if let publishedAt: Date = try row.decodeIfPresent("live_published_at") {
            live = ArticleView.Live(
                title: try row.decode("live_title"), lead: try row.decode("live_lead"),
                body: try row.decode("live_body"), section: try row.decode("live_section"),
                tags: try row.decode("live_tags"), publishedAt: publishedAt,
                publishedBy: try row.decode("live_published_by"))
        }
        return ArticleView(
            id: try row.decode("id"), state: try row.decode("status"), version: try row.decode("version"),
            title: try row.decode("title"), lead: try row.decode("lead"), body: try row.decode("body"),
            section: try row.decode("section"), tags: try row.decode("tags"), author: try row.decode("author"),
            createdAt: try row.decode("created_at"), updatedAt: try row.decode("updated_at"),
            originalDate: try row.decodeIfPresent("original_date"), live: live,
            pendingRevision: try row.decode("pending_revision"), scheduledFor: try row.decodeIfPresent("scheduled_for"))
    }
}
