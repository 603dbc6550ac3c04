import Crypto
import Editorial
import Foundation
import Postgres

/// The statements the desk's queue and article pages run, with the same parameters, as prepared
/// statements one after another on one pooled connection, rows read as text and nothing else:
/// what PostgreSQL and libpq cost a page, without HTTP, Swift models or templates.
///
/// The SQL is a copy of the desk's (DeskSessions, ArticleQueries, ArticleQueries+Desk,
/// ArticleSnapshot); when those change, change it here.
struct RawDeskSQL: Sendable {
    let pool: ConnectionPool
    let sessionHash: ByteA

    /// Statements on `pool`, for the session whose cookie holds `sessionCookie`.
    init(pool: ConnectionPool, sessionCookie: String) {
        self.pool = pool
        sessionHash = ByteA(Array(SHA256.hash(data: Array(sessionCookie.utf8))))
    }

    /// `GET /desk`: the session, the first page of every article, and the editor's candidates for
    /// "your turn". The counts per state and the filters' choices are left out: the page reads
    /// them at most once a second and once in 5 s (`ShortLivedCache`), not per request.
    func queue() async throws {
        let hash = sessionHash
        try await pool.withConnection { connection in
            try await connection.perform { connection in
                try Self.session(connection, hash)
                try connection.query(Self.list, [nil, nil, nil, nil, 26, 0, nil])
                try connection.query(Self.statesForLists, [[ArticleStatus.inReview.rawValue], nil, 50])
            }
        }
    }

    /// `GET /desk/articles/{id}`: the session, the article's row, its last change.
    func article(_ id: UUID) async throws {
        let hash = sessionHash
        try await pool.withConnection { connection in
            try await connection.perform { connection in
                try Self.session(connection, hash)
                try connection.query(Self.articleRow, [id])
                try connection.query(
                    """
                    SELECT version, global_position, event_type, action, actor, actor_kind, at, status_before,
                           status_after, changed, reason, note, origin, command_id, correlation_id
                    FROM audit_log WHERE article_id = $1 ORDER BY version DESC LIMIT 1
                    """, [id])
            }
        }
    }

    private static func session(_ connection: isolated Connection, _ hash: ByteA) throws {
        let rows = try connection.query(
            """
            WITH found AS (
                SELECT s.id_hash, s.last_seen, u.name, u.role
                FROM desk_sessions AS s JOIN users AS u ON u.name = s.user_name
                WHERE s.id_hash = $1 AND s.last_seen > now() - make_interval(secs => $2)
                  AND NOT u.disabled
            ), touched AS (
                UPDATE desk_sessions SET last_seen = now()
                WHERE id_hash IN (SELECT id_hash FROM found WHERE last_seen < now() - interval '1 minute')
            )
            SELECT name, role FROM found
            """, [hash, 12.0 * 3600])
        guard rows.rows.count == 1 else { throw BenchError("the session was not found by its SQL") }
    }

    private static let list = """
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

    private static let statesForLists = """
        SELECT a.* FROM unnest($1::text[]) AS wanted(status)
        CROSS JOIN LATERAL (
            SELECT id, status, version, title, '' AS lead, '' AS body, section, tags, author, created_at,
                   updated_at, original_date::text AS original_date, live_title, '' AS live_lead,
                   '' AS live_body, live_section, live_tags, live_published_at, live_published_by,
                   pending_revision, contributors, scheduled_for
            FROM articles
            WHERE status = wanted.status AND ($2::text IS NULL OR author = $2)
            ORDER BY updated_at DESC, id LIMIT $3
        ) AS a
        ORDER BY a.updated_at DESC, a.id LIMIT $3
        """

    private static let articleRow = """
        SELECT id, status, version, title, lead, body, section, tags, author, created_at, updated_at,
               original_date::text AS original_date, live_title, live_lead, live_body, live_section, live_tags,
               live_published_at, live_published_by, pending_revision, contributors, scheduled_for
        FROM articles WHERE id = $1
        """
}
