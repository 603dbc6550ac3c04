import Crypto
import Editorial
import Foundation
import Postgres

/// The desk's sign-in sessions, kept in PostgreSQL so that any `copydesk serve` node serves any
/// session, and signing out (or losing one's user row) ends a session on every node at once.
///
/// A session id is 32 random bytes, given to the browser once (in its cookie); the table stores
/// only its SHA-256. The session's CSRF token is derived from the id (see `csrfToken(for:)`), so it
/// needs no column and cannot be read from the table either.
public struct DeskSessions: Sendable {
    /// Where the sessions are kept.
    public let pool: ConnectionPool
    /// A session unused for this long matches nobody.
    public let idleExpiry: Duration

    /// Sessions on `pool` that end after `idleExpiry` without use (12 hours by default).
    public init(pool: ConnectionPool, idleExpiry: Duration = .seconds(12 * 3600)) {
        self.pool = pool
        self.idleExpiry = idleExpiry
    }

    /// Opens a session for `user` and returns its id (for the cookie). Also clears sessions that
    /// expired, so the table holds only live ones and those idle less than the limit.
    public func open(for user: Actor) async throws -> String {
        // SystemRandomNumberGenerator reads the kernel's CSPRNG (getrandom on Linux).
        var generator = SystemRandomNumberGenerator()
        let id = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }.lowercaseHex
        try await pool.withConnection { connection in
            _ = try await connection.query(
                "DELETE FROM desk_sessions WHERE last_seen < now() - make_interval(secs => $1)", [idleSeconds])
            _ = try await connection.query(
                "INSERT INTO desk_sessions (id_hash, user_name) VALUES ($1, $2)", [ByteA(Self.hash(id)), user.name])
        }
        return id
    }

    /// The user signed in with session `id`, or nil when it is unknown, expired, or its user is gone
    /// or disabled.
    ///
    /// One statement: it finds the session with its user's current role (a role changed meanwhile
    /// applies at once) and marks it used, at most once a minute so that reading pages rarely writes.
    public func user(forSession id: String) async throws -> Actor? {
        guard Self.isWellFormed(id) else { return nil }
        let row = try await pool.withConnection { connection in
            try await connection.query(Self.lookupSQL, [ByteA(Self.hash(id)), idleSeconds]).first
        }
        guard let row, let role = Role(rawValue: try row.decode("role")) else { return nil }
        let name: String = try row.decode("name")
        guard !Actor.isReserved(name) else { return nil }
        return Actor(name: name, role: role)
    }

    /// The user of session `$1` (its id's hash) if it was used within `$2` seconds, marking it used.
    /// `package`: the bench times it as the desk's own SQL (`RawDeskSQL`).
    package static let lookupSQL = """
        WITH found AS (
            SELECT s.id_hash, s.last_seen, u.name, u.role
            FROM desk_sessions AS s JOIN users AS u ON u.name = s.user_name
            WHERE s.id_hash = $1 AND s.last_seen > now() - make_interval(secs => $2)
              AND NOT u.disabled  -- disabling a user ends their sessions on every node at once
        ), touched AS (
            UPDATE desk_sessions SET last_seen = now()
            WHERE id_hash IN (SELECT id_hash FROM found WHERE last_seen < now() - interval '1 minute')
        )
        SELECT name, role FROM found
        """

    /// Ends session `id` (signing out): its row is deleted, so no node knows it any more.
    public func close(_ id: String) async throws {
        guard Self.isWellFormed(id) else { return }
        _ = try await pool.withConnection { connection in
            try await connection.query("DELETE FROM desk_sessions WHERE id_hash = $1", [ByteA(Self.hash(id))])
        }
    }

    /// The CSRF token of session `id`: a SHA-256 of the id under a label of its own. Forms carry it;
    /// a page on another site cannot read it, and knowing it does not give the session id away.
    public static func csrfToken(for id: String) -> String {
        Array(SHA256.hash(data: Array("copydesk-desk-csrf:\(id)".utf8))).lowercaseHex
    }

    package static func hash(_ id: String) -> [UInt8] {
        Array(SHA256.hash(data: Array(id.utf8)))
    }

    static func isWellFormed(_ id: String) -> Bool {
        id.utf8.count == 64 && id.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    private var idleSeconds: Double {
        Double(idleExpiry.components.seconds) + Double(idleExpiry.components.attoseconds) / 1e18
    }
}
