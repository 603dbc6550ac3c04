import Crypto
import Foundation

/// What an `Idempotency-Key` stands for: the command id (and, for a draft, the article id) a
/// retried request reuses, so it is the same command.
///
/// The ids are the MD5 of a prefix and the key's scope (user, method, path, key) in UTF-8, read
/// as a UUID: byte for byte what `md5('command' || scope)::uuid` gave when PostgreSQL computed
/// them, so keys sent before still name the same commands.
struct IdempotencyKey: Sendable, Hashable {
    /// The key together with who sent it where: `user\nMETHOD /path\nkey`.
    let scope: String

    init(key: String, actor: String, method: String, path: String) {
        scope = "\(actor)\n\(method) \(path)\n\(key)"
    }

    /// The id of the command the key stands for.
    var commandId: UUID { Self.uuid(md5Of: "command" + scope) }

    /// The id of the article a draft sent with this key creates.
    var articleId: UUID { Self.uuid(md5Of: "article" + scope) }

    /// The MD5 of `text`'s UTF-8 bytes as a UUID (no version or variant bits set, as PostgreSQL's cast does).
    static func uuid(md5Of text: String) -> UUID {
        let digest = Array(Insecure.MD5.hash(data: Array(text.utf8)))
        return UUID(uuid: (
            digest[0], digest[1], digest[2], digest[3], digest[4], digest[5], digest[6], digest[7],
            digest[8], digest[9], digest[10], digest[11], digest[12], digest[13], digest[14], digest[15]))
    }

    /// The fingerprint a retry must match: SHA-256 of the `If-Match` header, a line feed and the body.
    static func requestFingerprint(ifMatch: String?, body: some Sequence<UInt8>) -> [UInt8] {
        var hash = SHA256()
        hash.update(data: Array((ifMatch ?? "").utf8) + [0x0A])
        hash.update(data: Array(body))
        return Array(hash.finalize())
    }
}
