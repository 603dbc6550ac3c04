import Foundation

extension LocalCluster {
    /// What `status()` reports about a local cluster.
    public struct Status: Sendable, Equatable {
        /// True once initdb has created the cluster (its `PG_VERSION` file exists).
        public let isInitialized: Bool
        /// True while the server process named in `postmaster.pid` is alive.
        public let isRunning: Bool
        /// The server's process id while it runs.
        public let pid: Int?
        /// PGDATA, also the socket directory.
        public let dataDirectory: URL
        /// The conninfo URI for database `copydesk`.
        public let url: String
    }

    /// Reports whether the cluster exists and runs; reads the data directory only, runs no command.
    public func status() throws -> Status {
        let initialized = FileManager.default.fileExists(atPath: file("PG_VERSION").path)
        let pid = initialized ? try runningServerPID() : nil
        return Status(
            isInitialized: initialized, isRunning: pid != nil, pid: pid,
            dataDirectory: dataDirectory, url: connectionURL()
        )
    }

    func file(_ name: String) -> URL {
        dataDirectory.appendingPathComponent(name, isDirectory: false)
    }

    /// The pid on the first line of `postmaster.pid`, if that process is alive.
    ///
    /// PostgreSQL leaves the file behind after a crash, so the process itself is checked too.
    private func runningServerPID() throws -> Int? {
        let pidFile = file("postmaster.pid")
        let contents: String
        do {
            contents = try String(contentsOf: pidFile, encoding: .utf8)
        } catch CocoaError.fileReadNoSuchFile {
            return nil
        } catch {
            guard FileManager.default.fileExists(atPath: pidFile.path) else { return nil }
            throw LocalClusterError("cannot read \(pidFile.path): \(error.localizedDescription)")
        }
        guard let firstLine = contents.split(separator: "\n").first,
            let pid = Int32(firstLine.trimmingCharacters(in: .whitespaces)), pid > 0
        else { return nil }
        // Signal 0 checks existence only; EPERM means it exists but belongs to another user.
        guard kill(pid, 0) == 0 || errno == EPERM else { return nil }
        return Int(pid)
    }
}
