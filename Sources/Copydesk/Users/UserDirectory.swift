import Crypto
import Editorial
import Foundation
import Postgres

/// A user as listed: name, role and since when.
public struct UserRecord: Sendable, Hashable {
    public let name: String
    public let role: Role
    public let createdAt: Date
}

/// The people who may act on articles, their roles and their API tokens.
///
/// A token is `cd_<selector>_<secret>`: the selector finds the user, and only a SHA-256 of the
/// secret is stored, compared in constant time. The secret is hashed here and never sent to the
/// database. The token itself is shown once, when the user is added.
public struct UserDirectory: Sendable {
    public let pool: ConnectionPool

    public init(pool: ConnectionPool) {
        self.pool = pool
    }

    /// Adds a user and returns their API token (the only time it is available).
    public func add(name: String, role: Role) async throws -> String {
        guard name.range(of: #"^[a-z][a-z0-9_.-]{0,62}$"#, options: .regularExpression) != nil else {
            throw WorkflowError.invalidInput(
                "user name \"\(name)\" is not valid: use 1-63 lowercase letters, digits, '.', '_' or '-', starting with a letter")
        }
        guard !Actor.isReserved(name) else { throw Self.reserved(name) }
        let selector = Self.randomHex(bytes: 8)
        let secret = Self.randomHex(bytes: 32)
        do {
            _ = try await pool.withConnection { connection in
                try await connection.query(
                    """
                    INSERT INTO users (name, role, token_selector, token_hash) VALUES ($1, $2, $3, $4)
                    """,
                    [name, role.rawValue, selector, ByteA(Self.hash(secret: secret))])
            }
        } catch let error as PostgresError where error.code == .uniqueViolation {
            throw WorkflowError.invalidInput("a user named \"\(name)\" already exists; nothing was changed")
        }
        return "cd_\(selector)_\(secret)"
    }

    /// Every user, by name.
    public func list() async throws -> [UserRecord] {
        try await pool.withConnection { connection in
            try await connection.query("SELECT name, role, created_at FROM users ORDER BY name").rows.map { row in
                UserRecord(
                    name: try row.decode("name"), role: Role(rawValue: try row.decode("role")) ?? .author,
                    createdAt: try row.decode("created_at"))
            }
        }
    }

    /// The acting user called `name`; throws `unknownUser` when there is none.
    ///
    /// A row under a reserved name (added before names were reserved) is kept, as history refers
    /// to it, but refused here and in `actor(forToken:)`: it can no longer act as the system.
    public func actor(named name: String) async throws -> Actor {
        guard !Actor.isReserved(name) else { throw Self.reserved(name) }
        let role = try await pool.withConnection { connection in
            try await connection.query("SELECT role FROM users WHERE name = $1", [name]).first?
                .decode("role", as: String.self)
        }
        guard let role, let parsed = Role(rawValue: role) else { throw WorkflowError.unknownUser(name) }
        return Actor(name: name, role: parsed)
    }

    /// The user a bearer token belongs to, or nil when it matches nobody.
    public func actor(forToken token: String) async throws -> Actor? {
        let parts = token.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "cd", parts[1].count == 16, parts[2].count == 64 else { return nil }
        let row = try await pool.withConnection { connection in
            try await connection.query(
                "SELECT name, role, token_hash FROM users WHERE token_selector = $1", [String(parts[1])]
            ).first
        }
        guard let row else { return nil }
        let stored: ByteA = try row.decode("token_hash")
        let presented = Self.hash(secret: String(parts[2]))
        guard Self.constantTimeEqual(stored.bytes, presented), let role = Role(rawValue: try row.decode("role"))
        else { return nil }
        let name: String = try row.decode("name")
        // See `actor(named:)`: a token of a reserved name's row matches nobody.
        guard !Actor.isReserved(name) else { return nil }
        return Actor(name: name, role: role)
    }

    static func reserved(_ name: String) -> WorkflowError {
        WorkflowError.invalidInput(
            "user name \"\(name)\" is reserved: Copydesk itself acts under it (\(name) steps are marked as the "
                + "system's in history and audit), so no person may be added or act as \(name); choose another name")
    }

    /// The stored form of a token's secret: SHA-256 of its UTF-8 bytes (as PostgreSQL's
    /// `sha256(convert_to(secret, 'UTF8'))` computed it before, so earlier tokens still match).
    static func hash(secret: String) -> [UInt8] {
        Array(SHA256.hash(data: Array(secret.utf8)))
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }

    static func randomHex(bytes: Int) -> String {
        // SystemRandomNumberGenerator reads the kernel's CSPRNG (getrandom on Linux).
        var generator = SystemRandomNumberGenerator()
        return (0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) }.lowercaseHex
    }
}
