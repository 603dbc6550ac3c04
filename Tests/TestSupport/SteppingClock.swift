import Foundation
import Synchronization

/// A clock that moves on by a fixed step each time it is read: give it to `CopydeskApp(pool:now:)`
/// so that commands happen at known, distinct instants and no test sleeps to separate two of them.
public final class SteppingClock: Sendable {
    private let current: Mutex<Date>
    private let step: TimeInterval

    /// A clock whose first reading is `start`, each later one `step` seconds after the one before.
    public init(start: Date, step: TimeInterval) {
        current = Mutex(start)
        self.step = step
    }

    /// The current reading; the clock then moves on by one step.
    public func next() -> Date {
        current.withLock { current in
            defer { current = current.addingTimeInterval(step) }
            return current
        }
    }
}
