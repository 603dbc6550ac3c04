import Foundation

/// A one-line progress bar with a rate, redrawn in place on standard error when it is a terminal
/// (and silent otherwise, so logs and pipes get only the final summary).
final class ProgressBar: @unchecked Sendable {
    // @unchecked: the rebuild calls `update` from one thread at a time; the lock makes that explicit.
    private let lock = NSLock()
    private let label: String
    private let clock = ContinuousClock()
    private let started: ContinuousClock.Instant
    private var lastDrawn: ContinuousClock.Instant?
    private let enabled = isatty(STDERR_FILENO) == 1

    init(_ label: String) {
        self.label = label
        started = clock.now
    }

    /// Redraws at most ten times a second.
    func update(done: Int, total: Int) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = clock.now
        if let lastDrawn, now - lastDrawn < .milliseconds(100), done < total { return }
        lastDrawn = now
        let elapsed = Double((now - started).components.seconds) + Double((now - started).components.attoseconds) / 1e18
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 1
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let line = "\r\(label) \(bar) \(Int(fraction * 100))%  \(done.grouped)/\(total.grouped) events  \(Int(rate).grouped) events/s "
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Clears the bar's line.
    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}

extension Int {
    /// 1234567 → "1,234,567".
    var grouped: String {
        let digits = String(magnitude)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result += "," }
            result.append(digit)
        }
        return (self < 0 ? "-" : "") + result
    }
}
