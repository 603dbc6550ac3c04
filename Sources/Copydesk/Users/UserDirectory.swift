import Crypto
import Editorial
import EventStore
import Foundation
import Postgres

/// The people who may act on articles, their roles and their API tokens.
///
/// Every change to a user is an event in their stream (`user-<name>`), decided by the domain
/// (`UserDecider`) and written with its projection rows in one transaction, as article commands
/// are (`UserCommands`). Tokens are `cd_<id>_<secret>`: the id finds the token, and only a
/// SHA-256 of the secret is stored (in `user_tokens`, never in an event), compared in constant
/// time. The secret is hashed here and never sent to the database; a token is shown once.
public struct UserDirectory: Sendable {
    public let pool: ConnectionPool
    let store: EventStore
    /// The time changes happen at, cut to the millisecond.
    let now: @Sendable () -> Date

    /// The channel a change to a user is announced on (the payload is the user's name), after
    /// it committed: every node drops what it cached about that user (`copydesk serve`).
    public static let changeChannel = "copydesk_users"

    public init(store: EventStore, now: @escaping @Sendable () -> Date = { Date.now }) {
        self.pool = store.pool
        self.store = store
        self.now = { now().truncatedToMilliseconds }
    }

    /// Adds a user and returns their first API token (the only time it is available).
    public func add(name: String, role: Role, by actor: Actor, origin: Origin) async throws -> String {
        let token = NewToken()
        _ = try await handle(
            .add(role: role, tokenId: token.id), user: name, by: actor, origin: origin, storing: .token(token))
        return token.text
    }

    /// Gives a user another role; the reason is kept in their history.
    public func changeRole(of name: String, to role: Role, reason: String, by actor: Actor, origin: Origin)
        async throws -> UserAccount
    {
        try await handle(.changeRole(to: role, reason: reason), user: name, by: actor, origin: origin)
    }

    /// Stops a user from acting: their tokens and sessions are refused from the next request on.
    public func disable(_ name: String, reason: String, by actor: Actor, origin: Origin) async throws -> UserAccount {
        try await handle(.disable(reason: reason), user: name, by: actor, origin: origin)
    }

    /// Lets a disabled user act again (with the tokens they had).
    public func enable(_ name: String, reason: String?, by actor: Actor, origin: Origin) async throws -> UserAccount {
        try await handle(.enable(reason: reason), user: name, by: actor, origin: origin)
    }

    /// Issues a new token (revoking the user's others when `revokingOthers`) and returns it.
    public func issueToken(to name: String, revokingOthers: Bool, by actor: Actor, origin: Origin) async throws
        -> String
    {
        let token = NewToken()
        _ = try await handle(
            .issueToken(tokenId: token.id, revokingOthers: revokingOthers), user: name, by: actor, origin: origin,
            storing: .token(token))
        return token.text
    }

    /// Revokes one of a user's tokens, named by its id (the part after `cd_`).
    public func revokeToken(_ tokenId: String, of name: String, reason: String?, by actor: Actor, origin: Origin)
        async throws -> UserAccount
    {
        try await handle(.revokeToken(tokenId: tokenId, reason: reason), user: name, by: actor, origin: origin)
    }

    /// Sets a user's desk password from its bcrypt hash (see `Passwords`), recorded as a
    /// `PasswordSet` event; their desk sessions end with it.
    public func setPassword(of name: String, hash: String, by actor: Actor, origin: Origin) async throws {
        _ = try await handle(.setPassword, user: name, by: actor, origin: origin, storing: .passwordHash(hash))
    }

    /// Every user, by name, with when they last used a token or the desk.
    public func list() async throws -> [UserListing] {
        try await listings(named: nil)
    }

    /// One user as `list` shows them, or nil when nobody has that name.
    public func listing(named name: String) async throws -> UserListing? {
        try await listings(named: name).first
    }

    /// Every user, or only the one called `name`.
    private func listings(named name: String?) async throws -> [UserListing] {
        try await pool.withConnection { connection in
            try await connection.query(
                """
                SELECT \(Self.accountColumns),
                       greatest((SELECT max(t.last_used_at) FROM user_tokens t WHERE t.user_name = u.name),
                                (SELECT max(s.last_seen) FROM desk_sessions s WHERE s.user_name = u.name)) AS last_seen
                FROM users u WHERE $1::text IS NULL OR name = $1 ORDER BY name
                """, [name]
            ).rows.map { row in UserListing(account: try Self.account(from: row), lastSeen: try row.decodeIfPresent("last_seen")) }
        }
    }

    /// One user's account, or nil when nobody has that name.
    public func account(named name: String) async throws -> UserAccount? {
        try await pool.withConnection { connection in
            try await connection.query("SELECT \(Self.accountColumns) FROM users u WHERE name = $1", [name]).first
                .map(Self.account(from:))
        }
    }

    /// The acting user called `name`; throws `unknownUser` when there is none, and refuses a
    /// disabled user or a reserved name.
    ///
    /// A row under a reserved name (added before names were reserved) is kept, as history refers
    /// to it, but refused here and in `actor(forToken:)`: it can no longer act as the system.
    public func actor(named name: String) async throws -> Actor {
        guard !Actor.isReserved(name) else { throw Self.reserved(name) }
        guard let account = try await account(named: name) else { throw WorkflowError.unknownUser(name) }
        guard !account.isDisabled else {
            throw WorkflowError.userRefused(UserRefusal(
                .disabled, user: name, message: "\(name) is disabled and cannot act until an admin enables them"))
        }
        return Actor(name: name, role: account.role)
    }

    /// The user a bearer token belongs to, or nil when it matches nobody, was revoked, or its
    /// user is disabled.
    public func actor(forToken token: String) async throws -> Actor? {
        let parts = token.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "cd", parts[1].count == 16, parts[2].count == 64 else { return nil }
        let tokenId = String(parts[1])
        return try await pool.withConnection { connection in
            let row = try await connection.query(
                """
                SELECT u.name, u.role, t.token_hash, t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute'
                           AS stale
                FROM user_tokens t JOIN users u ON u.name = t.user_name
                WHERE t.token_id = $1 AND NOT u.disabled AND t.token_id = ANY (u.active_tokens)
                """, [tokenId]
            ).first
            guard let row else { return nil }
            let stored: ByteA = try row.decode("token_hash")
            guard Self.constantTimeEqual(stored.bytes, Self.hash(secret: String(parts[2]))),
                let role = Role(rawValue: try row.decode("role"))
            else { return nil }
            let name: String = try row.decode("name")
            // See `actor(named:)`: a token of a reserved name's row matches nobody.
            guard !Actor.isReserved(name) else { return nil }
            if try row.decode("stale", as: Bool.self) {
                // "Last seen", kept to the minute so that a busy client does not write on every request.
                _ = try await connection.query("UPDATE user_tokens SET last_used_at = now() WHERE token_id = $1", [tokenId])
            }
            return Actor(name: name, role: role)
        }
    }

    static func reserved(_ name: String) -> WorkflowError {
        WorkflowError.invalidInput(
            "user name \"\(name)\" is reserved: Copydesk itself acts under it (\(name) steps are marked as the "
                + "system's in history and audit), so no person may be added or act as \(name); choose another name")
    }

    /// Random lowercase hex from the kernel's CSPRNG: token parts, session ids.
    public static func randomHex(bytes: Int) -> String { NewToken.randomHex(bytes: bytes) }

    static let accountColumns = "u.name, u.role, u.disabled, u.active_tokens, u.created_at, u.updated_at, u.version"

    static func account(from row: Row) throws -> UserAccount {
        UserAccount(
            name: try row.decode("name"), role: Role(rawValue: try row.decode("role")) ?? .author,
            isDisabled: try row.decode("disabled"), activeTokens: try row.decode("active_tokens"),
            createdAt: try row.decode("created_at"), updatedAt: try row.decode("updated_at"),
            version: try row.decode("version"))
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
}

/// A user as `user list` shows them.
public struct UserListing: Sendable, Hashable {
    public let account: UserAccount
    /// When one of their tokens last signed a request in, or they last used the desk (to the minute), if ever.
    public let lastSeen: Date?
}

/// A token made for issuing: its id, its secret and the text handed to the user once.
struct NewToken: Sendable {
    let id = NewToken.randomHex(bytes: 8)
    let secret = NewToken.randomHex(bytes: 32)

    var text: String { "cd_\(id)_\(secret)" }

    static func randomHex(bytes: Int) -> String {
        // SystemRandomNumberGenerator reads the kernel's CSPRNG (getrandom on Linux).
        var generator = SystemRandomNumberGenerator()
        return (0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) }.lowercaseHex
    }
}
