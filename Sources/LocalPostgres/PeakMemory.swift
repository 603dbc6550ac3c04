import Foundation

/// This process's peak resident memory, in MB: the kernel's high-water mark of its address space
/// (`VmHWM` in /proc/self/status).
///
/// Not `getrusage`'s `ru_maxrss`: that survives `exec`, so a process started by `swift run`, or
/// spawned by a larger one (the benchmark runs `copydesk replay`), reports its parent's peak when
/// that was higher. The address space is new after `exec`, and so is its high-water mark.
public func peakResidentMegabytes() -> Double {
    peakResidentMegabytes(ofProcess: "self") ?? 0
}

/// The peak resident memory of process `pid` (or "self"), in MB, while it runs; nil once it is gone.
public func peakResidentMegabytes(ofProcess pid: String) -> Double? {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
    else { return nil }
    return kilobytes / 1024
}
