import Editorial
import Synchronization

/// What this node knows about changes to users: it drops their cached tokens and tells their open
/// feeds to end, so a disabled user, a revoked token or a new role applies from the next request.
///
/// Changes made on this node are reported directly (`UsersController`); changes made anywhere
/// else (another node, the CLI) arrive through `UserChangeListener` within moments. When the
/// listener loses its connection it reports that anything may have changed.
final class UserChanges: Sendable {
    /// The verified tokens this node remembers, forgotten per user as changes arrive.
    let cache: AuthenticationCache

    /// A point in the sequence of changes, taken before a lookup or when a feed opens.
    struct Stamp: Sendable {
        fileprivate let user: Int
        fileprivate let everything: Int
        fileprivate let name: String
    }

    private struct Generations {
        var byUser: [String: Int] = [:]
        var everything = 0
        /// Every change heard, of anyone.
        var count = 0
    }

    private let generations = Mutex(Generations())

    init(cache: AuthenticationCache = AuthenticationCache()) {
        self.cache = cache
    }

    /// The user `name` changed: forget their tokens here and end their feeds.
    func userChanged(_ name: String) {
        generations.withLock {
            $0.byUser[name, default: 0] += 1
            $0.count += 1
        }
        cache.forget(user: name)
    }

    /// Changes may have been missed (the listener was disconnected): forget everything.
    func everythingMayHaveChanged() {
        generations.withLock {
            $0.everything += 1
            $0.count += 1
        }
        cache.forgetAll()
    }

    /// How many changes this node has heard of: a lookup that saw it move may have read a stale user.
    var count: Int { generations.withLock { $0.count } }

    /// Where the changes to `name` stand now.
    func stamp(for name: String) -> Stamp {
        generations.withLock { Stamp(user: $0.byUser[name] ?? 0, everything: $0.everything, name: name) }
    }

    /// Whether the user of `stamp` changed (or everything may have) since it was taken.
    func hasChanged(since stamp: Stamp) -> Bool {
        generations.withLock { ($0.byUser[stamp.name] ?? 0) != stamp.user || $0.everything != stamp.everything }
    }
}
