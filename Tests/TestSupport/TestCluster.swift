import Copydesk
import Foundation
import LocalPostgres
import Postgres
import Synchronization

/// The private cluster shared by the test processes of one run: started on first use, and stopped
/// and removed with every database in it when the last test process using it exits.
///
/// Every test process holds a shared `flock` on a file beside the data directory while it uses the
/// cluster. The one that can turn it into an exclusive lock is alone: at its exit it stops the
/// server and removes the data directory; at its start it removes whatever a run that died left
/// there. Removing the directory is what makes this cheap: dropping a database makes PostgreSQL
/// checkpoint, half a second each, and a run creates over a hundred.
public enum TestCluster {
    /// `COPYDESK_TEST_DATA_DIR`, else a directory under /tmp: the tests' own, removed after each run.
    public static var dataDirectory: URL {
        if let directory = ProcessInfo.processInfo.environment["COPYDESK_TEST_DATA_DIR"], !directory.isEmpty {
            return URL(fileURLWithPath: directory, isDirectory: true).standardizedFileURL
        }
        return URL(fileURLWithPath: "/tmp/copydesk-tests-\(getuid())/postgres", isDirectory: true)
    }

    /// A fresh directory for a cluster of a test's own (one it stops or restarts, which would
    /// disturb every other suite on the shared one): beside the shared cluster, where `deploy/test`
    /// removes it should the test not get to.
    public static func privateDirectory(_ purpose: String) -> URL {
        dataDirectory.deletingLastPathComponent()
            .appendingPathComponent("copydesk-private-\(purpose)-\(getpid())-\(UUID().uuidString.prefix(6))")
    }

    /// The shared cluster, running; this process uses it until it exits.
    public static let shared = Task<LocalCluster, any Error> {
        var cluster = LocalCluster(dataDirectory: dataDirectory)
        // Hundreds of tests run in parallel, each with its pools, servers and CLI processes; their
        // idle connections add up to more than the default 200 over a run.
        cluster.maximumConnections = 1000
        let descriptor = try await onOwnThread { try joinRun() }
        usageLock.withLock { $0 = descriptor }
        atexit { TestCluster.leaveRun() }
        try await cluster.start()
        return cluster
    }

    /// This process's shared lock on the usage file, once it has joined the run.
    private static let usageLock = Mutex<Int32?>(nil)

    private static var usageFile: URL {
        dataDirectory.deletingLastPathComponent().appendingPathComponent(".\(dataDirectory.lastPathComponent).users")
    }

    /// Takes the shared lock; alone, first removes what a run that died left behind.
    private static func joinRun() throws -> Int32 {
        try FileManager.default.createDirectory(
            at: dataDirectory.deletingLastPathComponent(), withIntermediateDirectories: true)
        let descriptor = open(usageFile.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw TestSupportError("cannot open \(usageFile.path): \(errno)") }
        // Waits while another process is removing the cluster, at its start or its exit.
        try lock(descriptor, LOCK_SH)
        if flock(descriptor, LOCK_EX | LOCK_NB) == 0 {
            removeCluster()
        }
        // Back to shared; after a failed conversion the shared lock may be gone, so take it again.
        try lock(descriptor, LOCK_SH)
        return descriptor
    }

    /// At exit: the last test process out stops the server and removes the data directory.
    private static func leaveRun() {
        guard let descriptor = usageLock.withLock({ $0 }), flock(descriptor, LOCK_EX | LOCK_NB) == 0 else { return }
        removeCluster()
    }

    /// Stops the server at once (its data is about to go, so no checkpoint) and removes the data
    /// directory; says so on stderr when it cannot, as the run's cleanup is part of what it checks.
    private static func removeCluster() {
        do {
            try LocalCluster(dataDirectory: dataDirectory).stop(.immediate)
            guard FileManager.default.fileExists(atPath: dataDirectory.path) else { return }
            // rm, not FileManager.removeItem: on Linux that takes six times as long for the cluster's
            // tens of thousands of files (10 s against 1.6 s for 60 databases here).
            let rm = Process()
            rm.executableURL = URL(fileURLWithPath: "/bin/rm")
            rm.arguments = ["-rf", "--", dataDirectory.path]
            try rm.run()
            rm.waitUntilExit()
            if rm.terminationStatus != 0 { throw TestSupportError("rm -rf \(dataDirectory.path) failed") }
        } catch {
            FileHandle.standardError.write(Data("TestSupport: cannot remove the tests' cluster: \(error)\n".utf8))
        }
    }

    private static func lock(_ descriptor: Int32, _ operation: Int32) throws {
        while flock(descriptor, operation) != 0 {
            guard errno == EINTR else { throw TestSupportError("cannot lock \(usageFile.path): \(errno)") }
        }
    }

    /// Runs blocking work (waiting for a lock) on a thread of its own, off the cooperative pool.
    private static func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }
}

/// A failure of the test harness itself, not of the code under test.
struct TestSupportError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
