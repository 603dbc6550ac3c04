import Foundation

/// Runs the PostgreSQL programs, as user `postgres` when this process is root.
struct CommandRunner: Sendable {
    /// The unprivileged account the server runs as when we are root.
    struct ServerUser: Sendable {
        let name: String
        let uid: uid_t
        let gid: gid_t
    }

    struct Result: Sendable {
        let status: Int32
        /// stdout and stderr, interleaved as the program wrote them.
        let output: String
    }

    let binaries: PostgresBinaries
    /// Nil when we are not root: the programs then run as us.
    let serverUser: ServerUser?
    private let runuser: URL?

    init(binaries: PostgresBinaries) throws {
        self.binaries = binaries
        guard geteuid() == 0 else {
            serverUser = nil
            runuser = nil
            return
        }
        // PostgreSQL refuses to run as root, so root hands the server to the `postgres` account.
        guard let user = Self.lookUpUser(LocalCluster.superuser) else {
            throw LocalClusterError(
                """
                running as root, but PostgreSQL refuses to run as root and there is no user \
                '\(LocalCluster.superuser)' to run it as. Install the postgresql package (it creates \
                that user) or run copydesk as an unprivileged user
                """
            )
        }
        let candidates = ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser", "/bin/runuser"]
        guard let path = candidates.first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw LocalClusterError("running as root, but runuser (util-linux) is not installed; it is needed to run PostgreSQL as user '\(user.name)'")
        }
        serverUser = user
        runuser = URL(fileURLWithPath: path)
    }

    /// Runs one of the PostgreSQL programs.
    func run(_ program: PostgresBinaries.Program, _ arguments: [String]) throws -> Result {
        try run(binaries.url(of: program).path, arguments)
    }

    /// Runs any program as the server's user.
    func run(_ executable: String, _ arguments: [String]) throws -> Result {
        guard let runuser, let serverUser else { return try Self.spawn([executable] + arguments) }
        // The server's user may not be allowed into our working directory (say /root), and
        // PostgreSQL programs fail when they cannot resolve their own working directory.
        let inRoot = ["/bin/sh", "-c", #"cd / && exec "$0" "$@""#, executable]
        return try Self.spawn([runuser.path, "-u", serverUser.name, "--"] + inRoot + arguments)
    }

    /// Runs `argv` with stdout and stderr captured, and waits for it to exit.
    ///
    /// Not Foundation's `Process`: on Linux it notices a child's exit when a socket it hands the
    /// child closes, and the server that `pg_ctl start` leaves behind would inherit that socket and
    /// keep it open forever. Here the child inherits stdin, stdout and stderr only.
    static func spawn(_ argv: [String]) throws -> Result {
        var pipeEnds: [Int32] = [-1, -1]
        guard pipe(&pipeEnds) == 0 else {
            throw LocalClusterError("cannot create a pipe: \(String(cString: strerror(errno)))")
        }
        let (readEnd, writeEnd) = (pipeEnds[0], pipeEnds[1])
        // pipe2(O_CLOEXEC) is not imported; this keeps programs other threads start off our pipe.
        _ = fcntl(readEnd, F_SETFD, FD_CLOEXEC)
        _ = fcntl(writeEnd, F_SETFD, FD_CLOEXEC)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 1)
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 2)
        closeDescriptorsFromThree(&actions)

        let cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, cArguments, environ)
        close(writeEnd)
        guard spawned == 0 else {
            close(readEnd)
            throw LocalClusterError("cannot run \(argv[0]): \(String(cString: strerror(spawned)))")
        }
        // Read to the end before waiting: a program whose output fills the pipe would never exit.
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = read(readEnd, &buffer, buffer.count)
            if count > 0 {
                output.append(contentsOf: buffer[..<count])
            } else if count < 0, errno == EINTR {
                continue
            } else {
                break
            }
        }
        close(readEnd)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else {
                throw LocalClusterError("cannot wait for \(argv[0]): \(String(cString: strerror(errno)))")
            }
        }
        // WIFEXITED and WEXITSTATUS are macros Swift does not import; a signal reads as 128 + signal.
        let signal = status & 0x7f
        let exitStatus = signal == 0 ? (status >> 8) & 0xff : 128 + signal
        return Result(status: exitStatus, output: String(decoding: output, as: UTF8.self))
    }

    /// Adds "close every descriptor from 3 up" to `actions`, so no descriptor of ours (another
    /// thread's pipe, say) outlives the child in a daemon it starts.
    private static func closeDescriptorsFromThree(_ actions: inout posix_spawn_file_actions_t) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32
        // glibc 2.34+ has posix_spawn_file_actions_addclosefrom_np, but Swift does not import it.
        if let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") {
            if unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3) == 0 { return }
        }
        // Older systems: close what is open now (glibc ignores descriptors closed in the meantime).
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for descriptor in open.compactMap(Int32.init) where descriptor >= 3 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
    }

    private static func lookUpUser(_ name: String) -> ServerUser? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16_384)
        guard getpwnam_r(name, &entry, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
        return ServerUser(name: name, uid: entry.pw_uid, gid: entry.pw_gid)
    }
}

extension LocalCluster {
    /// Runs blocking work on a thread of its own and resumes the caller when it is done.
    static func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.name = "copydesk-local-cluster"
            thread.start()
        }
    }
}
