import Copydesk
import Editorial
import Synchronization

/// Recently verified bearer tokens, so that a client's requests do not each cost a database
/// round trip to authenticate.
///
/// A change to a user forgets their entries at once (`UserChanges`); an entry also lives only
/// `lifetime` (a few seconds), the fallback should a change go unheard. Only tokens that matched
/// a user are kept; the cache is bounded and forgets everything when full rather than track recency.
final class AuthenticationCache: Sendable {
    static let capacity = 10_000

    private struct Entry {
        let actor: Editorial.Actor
        let expires: ContinuousClock.Instant
    }

    let lifetime: Duration
    private let entries = Mutex<[String: Entry]>([:])

    init(lifetime: Duration = .seconds(5)) {
        self.lifetime = lifetime
    }

    /// The user of a token verified less than `lifetime` ago, or nil.
    func actor(forToken token: String) -> Editorial.Actor? {
        let now = ContinuousClock.now
        return entries.withLock { entries in
            guard let entry = entries[token] else { return nil }
            guard entry.expires > now else {
                entries[token] = nil
                return nil
            }
            return entry.actor
        }
    }

    /// Forgets every token of the user `name`.
    func forget(user name: String) {
        entries.withLock { entries in entries = entries.filter { $0.value.actor.name != name } }
    }

    func forgetAll() {
        entries.withLock { $0.removeAll(keepingCapacity: true) }
    }

    func remember(_ actor: Editorial.Actor, forToken token: String) {
        let entry = Entry(actor: actor, expires: ContinuousClock.now + lifetime)
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[token] = entry
        }
    }
}
