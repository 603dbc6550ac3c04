import Foundation

extension LocalCluster {
    /// Creates the cluster when needed and starts the server; returns once it accepts connections.
    func startServer() async throws {
        let socketPath = file(".s.PGSQL.\(Self.port)").path
        guard socketPath.utf8.count <= Self.maximumSocketPathLength else {
            throw LocalClusterError.socketPathTooLong(socketPath)
        }
        let runner = try ServerProgramRunner(binaries: findBinaries())
        let parent = dataDirectory.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw LocalClusterError("cannot create \(parent.path): \(error.localizedDescription)")
        }
        // Parallel test processes start the same cluster: only one of them may run initdb or pg_ctl.
        let lock = parent.appendingPathComponent(".\(dataDirectory.lastPathComponent).lock")
        try await Self.withExclusiveLock(on: lock) {
            if let user = runner.serverUser, try await runner.run("/usr/bin/test", ["-x", parent.path]).status != 0 {
                throw LocalClusterError.notTraversable(parent, user: user.name)
            }
            if try !status().isInitialized {
                try await initialize(runner)
            }
            try writeSettings()
            if try !status().isRunning {
                try await launch(runner)
            }
            try await waitUntilReady(runner)
        }
    }

    private func initialize(_ runner: ServerProgramRunner) async throws {
        try createDataDirectory(owner: runner.serverUser)
        // C.UTF-8 sorts like C but knows what a letter is in any script; older systems lack it.
        let locale = Self.isLocaleAvailable("C.UTF-8") ? "C.UTF-8" : "C"
        let result = try await runner.run(.initdb, [
            "--pgdata=\(dataDirectory.path)", "--username=\(Self.superuser)", "--auth=trust",
            "--encoding=UTF8", "--locale=\(locale)",
        ])
        guard result.status == 0 else {
            throw LocalClusterError.commandFailed("initdb in \(dataDirectory.path)", status: result.status, output: result.output)
        }
    }

    func createDataDirectory(owner: ServerProgramRunner.ServerUser?) throws {
        let path = dataDirectory.path
        if mkdir(path, 0o700) != 0, errno != EEXIST {
            throw LocalClusterError("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        if let owner, chown(path, owner.uid, owner.gid) != 0 {
            throw LocalClusterError("cannot give \(path) to user '\(owner.name)': \(String(cString: strerror(errno)))")
        }
        // PostgreSQL refuses a data directory that others can read.
        if chmod(path, 0o700) != 0 {
            throw LocalClusterError("cannot restrict \(path) to its owner: \(String(cString: strerror(errno)))")
        }
    }

    private func launch(_ runner: ServerProgramRunner) async throws {
        let log = file("server.log").path
        let result = try await runner.run(.pgCtl, ["start", "-D", dataDirectory.path, "-l", log, "-w", "-t", "60"])
        guard result.status == 0 else {
            let output = [result.output, "--- last lines of \(log) ---", Self.tail(of: log, lines: 20)]
                .joined(separator: "\n")
            throw LocalClusterError.commandFailed("starting PostgreSQL in \(dataDirectory.path)", status: result.status, output: output)
        }
    }

    /// Waits for the server to accept connections: it may still be starting up or recovering.
    private func waitUntilReady(_ runner: ServerProgramRunner) async throws {
        let arguments = ["-q", "-h", dataDirectory.path, "-p", String(Self.port), "-U", Self.superuser, "-d", "postgres"]
        let deadline = Date().addingTimeInterval(60)
        while true {
            let result = try await runner.run(.pgIsReady, arguments)
            if result.status == 0 { return }
            guard Date() < deadline else {
                throw LocalClusterError(
                    "PostgreSQL in \(dataDirectory.path) did not accept connections within 60 seconds; "
                        + "last lines of its log:\n" + Self.tail(of: file("server.log").path, lines: 20)
                )
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    private static func withExclusiveLock<T>(on lockFile: URL, _ body: () async throws -> T) async throws -> T {
        // Waiting for the lock blocks its thread, for as long as another process starts the server.
        let descriptor = try await onOwnThread { try lockExclusively(lockFile) }
        // Closing the descriptor releases the lock, also when the process dies while holding it.
        defer { close(descriptor) }
        return try await body()
    }

    /// An open descriptor on `lockFile` holding an exclusive `flock`.
    private static func lockExclusively(_ lockFile: URL) throws -> Int32 {
        let descriptor = open(lockFile.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw LocalClusterError("cannot open lock file \(lockFile.path): \(String(cString: strerror(errno)))")
        }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                close(descriptor)
                throw LocalClusterError("cannot lock \(lockFile.path): \(String(cString: strerror(errno)))")
            }
        }
        return descriptor
    }

    private static func isLocaleAvailable(_ name: String) -> Bool {
        // glibc's LC_*_MASK macros are not imported into Swift; they are 1 << LC_*.
        let mask = Int32((1 << LC_CTYPE) | (1 << LC_COLLATE))
        guard let locale = newlocale(mask, name, nil) else { return false }
        freelocale(locale)
        return true
    }

    static func tail(of path: String, lines: Int) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return "(no log at \(path))" }
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }
}

extension LocalCluster {
    /// Runs blocking work on a thread of its own and resumes the caller when it is done.
    static func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Swift.Result { try body() }) }
            thread.name = "copydesk-local-cluster"
            thread.start()
        }
    }
}
