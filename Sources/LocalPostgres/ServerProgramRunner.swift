import Foundation
import Subprocess
import SystemPackage

/// Runs the PostgreSQL programs, as user `postgres` when this process is root.
struct ServerProgramRunner: Sendable {
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
    private let runuser: String?

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
            throw LocalClusterError(
                "running as root, but runuser (util-linux) is not installed; "
                    + "it is needed to run PostgreSQL as user '\(user.name)'")
        }
        serverUser = user
        runuser = path
    }

    /// Runs one of the PostgreSQL programs.
    func run(_ program: PostgresBinaries.Program, _ arguments: [String]) async throws -> Result {
        try await run(binaries.url(of: program).path, arguments)
    }

    /// Runs any program as the server's user, in `/`, with stdin from /dev/null, and collects what
    /// it writes to stdout and stderr.
    ///
    /// The working directory is `/` because the server's user may not be allowed into ours (say
    /// /root), and PostgreSQL programs fail when they cannot resolve their own working directory.
    /// Not Foundation's `Process`: on Linux it notices a child's exit when a socket it hands the
    /// child closes, and the server that `pg_ctl start` leaves behind would keep that socket open
    /// forever. Subprocess hands the child stdin, stdout and stderr only, and waits on a pidfd.
    func run(_ executable: String, _ arguments: [String]) async throws -> Result {
        var argv = [executable]
        if let runuser, let serverUser { argv = [runuser, "-u", serverUser.name, "--"] + argv }
        do {
            let result = try await Subprocess.run(
                .path(FilePath(argv[0])), arguments: Arguments(Array(argv.dropFirst()) + arguments),
                workingDirectory: FilePath("/"), input: .none,
                output: .string(limit: Self.outputLimit), error: .combinedWithOutput)
            let status: Int32 =
                switch result.terminationStatus {
                case .exited(let code): code
                // As a shell reports it.
                case .signaled(let signal): 128 + signal
                }
            return Result(status: status, output: result.standardOutput)
        } catch {
            throw LocalClusterError("cannot run \(argv[0]): \(error)")
        }
    }

    /// More than initdb, pg_ctl or pg_isready ever print; beyond it the run is an error.
    private static let outputLimit = 1 << 20

    private static func lookUpUser(_ name: String) -> ServerUser? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16_384)
        guard getpwnam_r(name, &entry, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
        return ServerUser(name: name, uid: entry.pw_uid, gid: entry.pw_gid)
    }
}
