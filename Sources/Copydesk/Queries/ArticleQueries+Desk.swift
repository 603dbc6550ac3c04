import Editorial
import Foundation
import Postgres

/// What the desk's pages read beyond the API's queries: the decider's state of articles (so a
/// page can ask the domain which commands a user may run), counts per state, and the values the
/// filters offer.
extension ArticleQueries {
    /// The decider's state of article `id`, read from its projection row, or nil when there is none.
    public func articleState(_ id: UUID) async throws -> Article? {
        try await reads.withConnection { connection in
            try await connection.query(ArticleSnapshot.select, [id]).first.map(ArticleSnapshot.article(from:))
        }
    }

    /// The last event of the article's history (its last change), or nil when it has none.
    public func lastChange(_ id: UUID) async throws -> HistoryEntry? {
        try await reads.withConnection { connection in
            try await connection.query(Self.lastChangeSQL, [id]).first.map(Self.historyEntry)
        }
    }

    /// The decider's states of up to `limit` articles whose status is one of `states` (and whose
    /// author is `author`, when given), most recently updated first, **without their lead and body**
    /// (read as empty, in the last live text too): the workflow rules never look at the text, and a
    /// list shows only titles.
    ///
    /// The desk narrows its "your turn" list with this, then asks the domain about each article.
    public func articleStatesForLists(
        inStates states: [ArticleStatus], author: String? = nil, limit: Int = 100
    )
        async throws -> [Article]
    {
        try await reads.withConnection { connection in
            try await connection.query(
                author == nil ? Self.listStatesSQL : Self.listStatesOfAuthorSQL,
                [states.map(\.rawValue), author, limit]
            ).rows.map(ArticleSnapshot.article(from:))
        }
    }

    /// The last audit row of article `$1`.
    package static let lastChangeSQL =
        "SELECT \(historyColumns) FROM audit_log WHERE article_id = $1 ORDER BY version DESC LIMIT 1"

    /// The columns `ArticleSnapshot.article(from:)` reads, with the texts left out.
    private static let listStateColumns = """
        id, status, version, title, '' AS lead, '' AS body, section, tags, author, created_at,
        updated_at, original_date::text AS original_date, live_title, '' AS live_lead,
        '' AS live_body, live_section, live_tags, live_published_at, live_published_by,
        pending_revision, contributors, scheduled_for,
        (CASE WHEN last_live_content IS NOT NULL THEN jsonb_set(jsonb_set(last_live_content, '{lead}', '""'),
            '{body}', '""') END)::text AS last_live_content
        """

    /// Every author's articles in the states `$1`: the newest `$3` of each state, each read in the
    /// order of the (status, updated_at) index, then merged. With `status = ANY($1)` PostgreSQL
    /// instead walked every article from the newest until enough matched (1.4 ms over 10,000
    /// articles, most of a queue page's SQL time). `$2` is always NULL here.
    package static let listStatesSQL = """
        SELECT a.* FROM unnest($1::text[]) AS wanted(status)
        CROSS JOIN LATERAL (
            SELECT \(listStateColumns) FROM articles
            WHERE status = wanted.status AND ($2::text IS NULL OR author = $2)
            ORDER BY updated_at DESC, id LIMIT $3
        ) AS a
        ORDER BY a.updated_at DESC, a.id LIMIT $3
        """

    /// One author's articles in the states `$1`, newest first, read in the order of the
    /// (author, updated_at) index.
    private static let listStatesOfAuthorSQL = """
        SELECT \(listStateColumns) FROM articles
        WHERE author = $2 AND status = ANY($1::text[])
        ORDER BY updated_at DESC, id LIMIT $3
        """

    /// How many articles are in each state that has any.
    public func stateCounts() async throws -> [String: Int] {
        try await reads.withConnection { connection in
            var counts: [String: Int] = [:]
            for row in try await connection.query("SELECT status, count(*)::int AS n FROM articles GROUP BY status")
                .rows
            {
                counts[try row.decode("status")] = try row.decode("n")
            }
            return counts
        }
    }

    /// Every section and every author that some article has, sorted: the choices of the desk's filters.
    public func filterChoices() async throws -> (sections: [String], authors: [String]) {
        try await reads.withConnection { connection in
            let sections: [String] = try await connection.query(
                "SELECT DISTINCT section FROM articles WHERE section <> '' ORDER BY section LIMIT 500"
            ).rows.map { try $0.decode("section") }
            let authors: [String] = try await connection.query(
                "SELECT DISTINCT author FROM articles ORDER BY author LIMIT 500"
            ).rows.map { try $0.decode("author") }
            return (sections, authors)
        }
    }
}
