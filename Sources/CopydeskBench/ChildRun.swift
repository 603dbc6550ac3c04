import Foundation
import LocalPostgres

/// A `copydesk` command run as a child process against one database: its wall time, its peak
/// resident memory and what it printed.
struct ChildRun {
    let wallSeconds: Double
    let peakMegabytes: Double
    let output: String

    /// Runs the `copydesk` binary built beside this one with `arguments`, on `conninfo`; standard
    /// output goes to `outputFile` when given (read back only when not).
    ///
    /// The peak is the child's own `VmHWM`, read from /proc every 20 ms until it exits (it only
    /// grows, so the last reading is the peak within the final 20 ms). Not `wait4`'s `ru_maxrss`:
    /// a child started by this (larger) process inherits its high-water mark through `exec`.
    static func copydesk(_ arguments: [String], conninfo: String, outputFile: String? = nil) async throws -> ChildRun {
        let process = Process()
        process.executableURL = try WorkflowCases.replayBinary()
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["COPYDESK_DATABASE_URL"] = conninfo
        environment["NO_COLOR"] = "1"
        process.environment = environment
        let pipe = Pipe()
        if let outputFile {
            FileManager.default.createFile(atPath: outputFile, contents: nil)
            process.standardOutput = FileHandle(forWritingAtPath: outputFile)
        } else {
            process.standardOutput = pipe
        }
        let clock = ContinuousClock()
        let started = clock.now
        try process.run()
        let pid = process.processIdentifier
        let reader = outputFile == nil ? Task.detached { pipe.fileHandleForReading.readDataToEndOfFile() } : nil
        var peak = 0.0
        while process.isRunning {
            peak = max(peak, peakResidentMegabytes(ofProcess: String(pid)) ?? 0)
            try await Task.sleep(for: .milliseconds(20))
        }
        process.waitUntilExit()
        let elapsed = seconds(clock.now - started)
        let output = String(decoding: await reader?.value ?? Data(), as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw BenchError("copydesk \(arguments.joined(separator: " ")) failed (\(process.terminationStatus)): \(output)")
        }
        return ChildRun(wallSeconds: elapsed, peakMegabytes: peak, output: output)
    }
}
