import Crypto
import Dispatch
import Editorial
import Foundation
import HummingbirdBcrypt
import Postgres

/// The passwords users sign in to the desk with, stored as bcrypt hashes only.
///
/// bcrypt reads at most 72 bytes, which is 36 Cyrillic letters, and stops at a NUL; so the
/// password is first reduced to the Base64 of its SHA-256 (44 ASCII characters), and bcrypt hashes
/// that. Every character of a long passphrase then counts.
public struct Passwords: Sendable {
    /// Where the hashes are kept.
    public let pool: ConnectionPool
    /// bcrypt's cost (log2 of its rounds): 12 unless `COPYDESK_BCRYPT_COST` lowers it (tests).
    public let cost: UInt8

    /// The shortest password accepted.
    public static let minimumLength = 8
    /// The longest password accepted, in characters (a paste of a whole file is a mistake).
    public static let maximumLength = 1024

    /// Passwords on `pool`, new ones hashed at `cost` (clamped to bcrypt's 4...31).
    public init(pool: ConnectionPool, cost: UInt8 = Passwords.costFromEnvironment()) {
        self.pool = pool
        self.cost = min(31, max(4, cost))
    }

    /// 12, or `COPYDESK_BCRYPT_COST` when set to a number from 4 to 31.
    public static func costFromEnvironment() -> UInt8 {
        guard let text = ProcessInfo.processInfo.environment["COPYDESK_BCRYPT_COST"], let cost = UInt8(text),
            (4...31).contains(cost)
        else { return 12 }
        return cost
    }

    /// Sets (or replaces) the password of the user called `name`, and ends their desk sessions: a
    /// password is changed when it may be known to someone else, who may have signed in with it.
    ///
    /// Throws `WorkflowError.unknownUser` when nobody has that name and `invalidInput` for a reserved
    /// name or a password that is too short, too long or holds a NUL character. A disabled user may be
    /// given one (it opens nothing until an admin enables them).
    public func set(name: String, password: String) async throws {
        guard !Actor.isReserved(name) else {
            throw WorkflowError.invalidInput("\(name) is a name the system acts under; it has no password")
        }
        guard password.count >= Self.minimumLength else {
            throw WorkflowError.invalidInput(
                "a password needs at least \(Self.minimumLength) characters; nothing was changed")
        }
        guard password.count <= Self.maximumLength, !password.utf8.contains(0) else {
            throw WorkflowError.invalidInput(
                "a password may have at most \(Self.maximumLength) characters and no NUL; nothing was changed")
        }
        let hash = await Self.offThePool { [cost] in Bcrypt.hash(Self.prehashed(password), cost: cost) }
        try await pool.withConnection { connection in
            try await connection.perform { connection in
                try connection.executeScript("BEGIN")
                do {
                    // Only for a user that exists (the users projection), checked in the same statement.
                    let stored = try connection.query(
                        """
                        INSERT INTO user_passwords (user_name, password_hash)
                        SELECT name, $2 FROM users WHERE name = $1
                        ON CONFLICT (user_name) DO UPDATE SET password_hash = excluded.password_hash, updated_at = now()
                        RETURNING user_name
                        """,
                        [name, hash])
                    guard stored.first != nil else { throw WorkflowError.unknownUser(name) }
                    _ = try connection.query("DELETE FROM desk_sessions WHERE user_name = $1", [name])
                    try connection.executeScript("COMMIT")
                } catch {
                    try? connection.executeScript("ROLLBACK")
                    throw error
                }
            }
        }
    }

    /// The user `name` when `password` is theirs; nil for a wrong password, an unknown or disabled
    /// user, a user without a password, or a reserved name. Takes as long whichever of these it is.
    public func verify(name: String, password: String) async throws -> Actor? {
        let row = try await pool.withConnection { connection in
            try await connection.query(
                """
                SELECT u.name, u.role, p.password_hash FROM users AS u
                JOIN user_passwords AS p ON p.user_name = u.name
                WHERE u.name = $1 AND NOT u.disabled  -- a disabled user cannot sign in
                """,
                [name]
            ).first
        }
        let stored: String? = try row?.decode("password_hash")
        let matches = await Self.offThePool { Bcrypt.verify(Self.prehashed(password), hash: stored ?? Self.decoyHash) }
        guard matches, let row, !Actor.isReserved(name), let role = Role(rawValue: try row.decode("role")) else {
            return nil
        }
        return Actor(name: try row.decode("name"), role: role)
    }

    static func prehashed(_ password: String) -> String {
        Data(SHA256.hash(data: Array(password.utf8))).base64EncodedString()
    }

    /// A hash no password matches, verified when the user has none, so that "no such user" takes as
    /// long as "wrong password" and the time does not tell which names exist.
    static let decoyHash = Bcrypt.hash(UUID().uuidString, cost: costFromEnvironment())

    /// bcrypt takes a quarter of a second at cost 12: it runs on a Dispatch thread, not on the
    /// cooperative pool that serves requests.
    static func offThePool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async { continuation.resume(returning: work()) }
        }
    }
}
