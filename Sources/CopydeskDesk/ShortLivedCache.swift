/// A value read from the database at most once per `maximumAge`, shared by every request of
/// this server; callers that arrive while it is being read wait for that one read.
///
/// For the desk's overview (counts per state, the filters' sections and authors): each is a scan
/// of every article, too costly for every page view, and a second or so old is still true enough
/// to steer by. Article pages and lists are never cached.
actor ShortLivedCache<Value: Sendable> {
    private let maximumAge: Duration
    private let load: @Sendable () async throws -> Value
    private var current: (value: Value, readAt: ContinuousClock.Instant)?
    private var reading: Task<Value, any Error>?

    init(maximumAge: Duration, load: @escaping @Sendable () async throws -> Value) {
        self.maximumAge = maximumAge
        self.load = load
    }

    /// The value, read again when older than the maximum age.
    func value() async throws -> Value {
        if let current, ContinuousClock.now - current.readAt < maximumAge { return current.value }
        if let reading { return try await reading.value }
        let task = Task { try await load() }
        reading = task
        defer { reading = nil }
        let value = try await task.value
        current = (value, ContinuousClock.now)
        return value
    }
}
