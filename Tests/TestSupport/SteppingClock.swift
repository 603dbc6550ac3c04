import Foundation

/// A clock that moves on by a fixed step each time it is read: give it to `CopydeskApp(pool:now:)`
/// so that commands happen at known, distinct instants and no test sleeps to separate two of them.
public final class SteppingClock: @unchecked Sendable {
    // Unchecked: `current` is only read and written while holding `lock`.
    private let lock = NSLock()
    private var current: Date
    private let step: TimeInterval

    /// A clock whose first reading is `start`, each later one `step` seconds after the one before.
    public init(start: Date, step: TimeInterval) {
        current = start
        self.step = step
    }

    /// The current reading; the clock then moves on by one step.
    public func next() -> Date {
        lock.withLock {
            defer { current = current.addingTimeInterval(step) }
            return current
        }
    }
}
