import Copydesk
import Editorial
import Foundation
import Postgres

/// The statements the desk's queue and article pages run, with the same parameters, as prepared
/// statements one after another on one pooled connection, rows read as text and nothing else:
/// what PostgreSQL and libpq cost a page, without HTTP, Swift models or templates.
///
/// The statements are the desk's own (`package` in Copydesk), so they cannot drift apart.
struct RawDeskSQL: Sendable {
    let pool: ConnectionPool
    let sessionHash: ByteA

    /// Statements on `pool`, for the session whose cookie holds `sessionCookie`.
    init(pool: ConnectionPool, sessionCookie: String) {
        self.pool = pool
        sessionHash = ByteA(DeskSessions.hash(sessionCookie))
    }

    /// `GET /desk`: the session, the first page of every article, and the editor's candidates for
    /// "your turn". The counts per state and the filters' choices are left out: the page reads
    /// them at most once a second and once in 5 s (`ShortLivedCache`), not per request.
    func queue() async throws {
        let hash = sessionHash
        try await pool.withConnection { connection in
            try await connection.perform { connection in
                try Self.session(connection, hash)
                try connection.query(ArticleQueries.listSQL, [nil, nil, nil, nil, 26, 0, nil])
                try connection.query(ArticleQueries.listStatesSQL, [[ArticleStatus.inReview.rawValue], nil, 50])
            }
        }
    }

    /// `GET /desk/articles/{id}`: the session, the article's row, its last change.
    func article(_ id: UUID) async throws {
        let hash = sessionHash
        try await pool.withConnection { connection in
            try await connection.perform { connection in
                try Self.session(connection, hash)
                try connection.query(ArticleSnapshot.select, [id])
                try connection.query(ArticleQueries.lastChangeSQL, [id])
            }
        }
    }

    private static func session(_ connection: isolated Connection, _ hash: ByteA) throws {
        let rows = try connection.query(DeskSessions.lookupSQL, [hash, 12.0 * 3600])
        guard rows.rows.count == 1 else { throw BenchError("the session was not found by its SQL") }
    }
}
