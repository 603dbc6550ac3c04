@testable import CopydeskHTTP
import Foundation
import Postgres
import Testing
import TestSupport

/// The ids an Idempotency-Key stands for are computed in Swift now; they must be exactly the ones
/// PostgreSQL's `md5(prefix || scope)::uuid` gave, or keys sent before the change would stop
/// deduplicating their retries.
@Suite("Idempotency-Key ids")
struct IdempotencyKeyTests {
    /// (actor, method, path, key) and the command and article ids PostgreSQL computed for them.
    typealias KnownPair = (actor: String, method: String, path: String, key: String, command: String, article: String)
    static let knownPairs: [KnownPair] = [
        ("alice", "POST", "/articles", "key-1",
         "df70fe71-be3b-ce34-3d4b-3c9a8b805132", "44b6f328-5791-2674-cb66-f445304054b5"),
        ("carol", "POST", "/articles/5f9bf97b-0000-4000-8000-000000000001/publish", "ретрай-ключ ✓",
         "29fe47be-f483-0358-eb26-d08815406026", "43295a75-1230-e63f-83ff-4b1e93b9f8cd"),
        ("bob", "PATCH", "/articles/x", "🔑 Ключ\u{301} ü",
         "060911c3-b4a2-91d5-5669-aa3fc1188666", "435cee54-5ac3-b957-651a-6ceebd3ac101"),
    ]

    @Test("known keys keep the command and article ids PostgreSQL gave them, non-ASCII keys included")
    func knownPairs() {
        for pair in Self.knownPairs {
            let ids = IdempotencyKey(key: pair.key, actor: pair.actor, method: pair.method, path: pair.path)
            #expect(ids.commandId == UUID(uuidString: pair.command), "key \(pair.key)")
            #expect(ids.articleId == UUID(uuidString: pair.article), "key \(pair.key)")
        }
    }

    @Test("every id matches PostgreSQL's md5(...)::uuid, for ASCII, Cyrillic, emoji and long keys")
    func matchesPostgreSQL() async throws {
        let database = try await TestDatabase.empty()
        let connection = try await Connection.connect(to: database.ownerConninfo)
        let keys = [
            "a", "key-1", "Ключ идемпотентности", "🔑✓", "e\u{301}", String(repeating: "ж", count: 255),
            "with \"quotes\" and \\ backslash", UUID().uuidString,
        ]
        for key in keys {
            let ids = IdempotencyKey(key: key, actor: "dave", method: "POST", path: "/articles/some-id/approve")
            let row = try await connection.query(
                "SELECT md5('command' || $1)::uuid, md5('article' || $1)::uuid", [ids.scope]
            ).first!
            #expect(try row.decode(0, as: UUID.self) == ids.commandId, "key \(key)")
            #expect(try row.decode(1, as: UUID.self) == ids.articleId, "key \(key)")
        }
        for pair in Self.knownPairs {
            let scope = IdempotencyKey(key: pair.key, actor: pair.actor, method: pair.method, path: pair.path).scope
            let row = try await connection.query(
                "SELECT md5('command' || $1)::uuid, md5('article' || $1)::uuid", [scope]
            ).first!
            #expect(try row.decode(0, as: UUID.self) == UUID(uuidString: pair.command), "key \(pair.key)")
            #expect(try row.decode(1, as: UUID.self) == UUID(uuidString: pair.article), "key \(pair.key)")
        }
        await connection.close()
    }

    @Test("the request fingerprint is PostgreSQL's sha256 of If-Match, a line feed and the body")
    func fingerprint() async throws {
        let database = try await TestDatabase.empty()
        let connection = try await Connection.connect(to: database.ownerConninfo)
        let requests: [(ifMatch: String?, body: String)] = [
            (nil, "{}"), ("\"3\"", "{\"reason\":\"нужно переписать\"}"), (nil, ""),
        ]
        for (ifMatch, body) in requests {
            let bytes = Array((ifMatch ?? "").utf8) + [0x0A] + Array(body.utf8)
            let expected = try await connection.query("SELECT sha256($1::bytea)", [ByteA(bytes)]).first!
                .decode(0, as: ByteA.self).bytes
            #expect(IdempotencyKey.requestFingerprint(ifMatch: ifMatch, body: Array(body.utf8)) == expected)
        }
        await connection.close()
    }
}
