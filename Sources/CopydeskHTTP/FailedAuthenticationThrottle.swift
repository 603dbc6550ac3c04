import CopydeskDesk
import Synchronization

/// Failed authentications per client address, as token buckets: an address may fail `burst`
/// times in a row, then one more time per `refillInterval`; while its bucket is empty every
/// request it sends to an authenticated route is answered 429 before its token is looked at.
///
/// Only failures are counted, so a client with a good token is never slowed. The table is
/// bounded: at `capacity` addresses, the ones whose buckets have refilled go first, then the
/// half that failed longest ago, so a flood from many addresses costs memory no more than that.
final class FailedAuthenticationThrottle: Sendable {
    private struct Bucket {
        /// Failures still allowed, as of `updated` (fractional while refilling).
        var allowance: Double
        var updated: ContinuousClock.Instant
    }

    let burst: Int
    let refillInterval: Duration
    let capacity: Int
    private let buckets = Mutex<[String: Bucket]>([:])

    init(burst: Int = 10, refillInterval: Duration = .seconds(1), capacity: Int = 10_000) {
        precondition(burst > 0 && refillInterval > .zero && capacity > 0)
        self.burst = burst
        self.refillInterval = refillInterval
        self.capacity = capacity
    }

    /// How long `address` must wait before its next attempt, or nil when it may try now.
    func retryAfter(_ address: String, now: ContinuousClock.Instant = .now) -> Duration? {
        buckets.withLock { buckets in
            guard let bucket = buckets[address] else { return nil }
            let allowance = self.allowance(of: bucket, at: now)
            guard allowance < 1 else { return nil }
            return refillInterval * (1 - allowance)
        }
    }

    /// Counts one failed authentication from `address`.
    func recordFailure(_ address: String, now: ContinuousClock.Instant = .now) {
        buckets.withLock { buckets in
            var bucket = buckets[address] ?? Bucket(allowance: Double(burst), updated: now)
            if buckets[address] == nil && buckets.count >= capacity { evict(&buckets, now: now) }
            bucket.allowance = max(0, allowance(of: bucket, at: now) - 1)
            bucket.updated = now
            buckets[address] = bucket
        }
    }

    /// How many addresses the table holds now.
    var count: Int { buckets.withLock { $0.count } }

    private func allowance(of bucket: Bucket, at now: ContinuousClock.Instant) -> Double {
        let refilled = (now - bucket.updated) / refillInterval
        return min(Double(burst), bucket.allowance + max(0, refilled))
    }

    private func evict(_ buckets: inout [String: Bucket], now: ContinuousClock.Instant) {
        buckets = buckets.filter { allowance(of: $0.value, at: now) < Double(burst) }
        guard buckets.count >= capacity else { return }
        let oldestFirst = buckets.sorted { $0.value.updated < $1.value.updated }
        for (address, _) in oldestFirst.prefix(max(1, buckets.count / 2)) { buckets[address] = nil }
    }
}

/// The desk's wrong passwords count in the same buckets as the API's wrong tokens.
extension FailedAuthenticationThrottle: SignInThrottle {
    func retryAfter(_ address: String) -> Duration? { retryAfter(address, now: .now) }
    func recordFailure(_ address: String) { recordFailure(address, now: .now) }
}
