import ArgumentParser

/// A failure of the remote mode (or of a command that needs the database in it), already worded
/// for the command line: `reportingErrors` prints `message` as one line and exits with `status`.
struct RemoteFailure: Error, Sendable {
    let message: String
    let status: Int32

    init(_ message: String, status: Int32) {
        self.message = message
        self.status = status
    }

    /// The same status as a usage error found by the argument parser (64).
    static let usage = ExitCode.validationFailure.rawValue
}
