import Foundation

/// Why the local PostgreSQL cluster could not be found, created, started or stopped.
///
/// `description` is one or a few lines meant for the person at the terminal: it says what went
/// wrong and, where there is one, what to do about it.
public struct LocalClusterError: Error, Sendable, CustomStringConvertible {
    /// The message shown to the user.
    public let message: String

    /// Creates an error with a user-facing message.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

extension LocalClusterError {
    static func serverNotInstalled(_ searched: String) -> LocalClusterError {
        LocalClusterError(
            """
            the PostgreSQL server is not installed (no initdb and pg_ctl in \(searched)). \
            Install it with `apt-get install postgresql` on Debian/Ubuntu (or run deploy/dependencies), \
            or set COPYDESK_PG_BIN to the directory holding initdb and pg_ctl
            """
        )
    }

    static func socketPathTooLong(_ path: String) -> LocalClusterError {
        LocalClusterError(
            """
            the data directory's path is too long for a Unix socket \
            (\(path.utf8.count) bytes, at most \(LocalCluster.maximumSocketPathLength)): \(path). \
            Set COPYDESK_DATA_DIR to a shorter path, such as /var/tmp/copydesk
            """
        )
    }

    static func notTraversable(_ directory: URL, user: String) -> LocalClusterError {
        LocalClusterError(
            """
            PostgreSQL runs as user '\(user)' (it refuses to run as root), and that user cannot reach \
            \(directory.path). Set COPYDESK_DATA_DIR to a directory it can reach, such as /var/tmp/copydesk
            """
        )
    }

    static func commandFailed(_ what: String, status: Int32, output: String) -> LocalClusterError {
        let detail = output.trimmingCharacters(in: .whitespacesAndNewlines)
        return LocalClusterError(
            "\(what) failed (exit status \(status))" + (detail.isEmpty ? "" : ":\n\(detail)")
        )
    }
}
