import Foundation
import Postgres

/// CPU seconds (user + system) of processes that ended: this process's children (the
/// `copydesk replay` the bench runs), and the PostgreSQL server's (its backends, which end with
/// their connections). Taken before and after a child runs, the difference is what it and the
/// backends serving it used, where `CPUTime` would miss backends already gone.
///
/// The server's figure counts every backend that ended meanwhile, other databases' too (another
/// benchmark on the same cluster, autovacuum): `BackendCPUSampler` counts only the database's.
struct ChildCPUTime {
    let child: Double
    /// Zero for a server on another machine (its processes are not in /proc here).
    let postgres: Double

    static func now(_ conninfo: String) async throws -> ChildCPUTime {
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        let child = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        let connection = try await Connection.connect(to: conninfo)
        let backend: Int32 = try await connection.query("SELECT pg_backend_pid() AS pid").rows[0].decode("pid")
        // The postmaster is the backend's parent; it waits for every backend that ends, so its
        // children's times (cutime, cstime) grow by theirs.
        let parent = statFields(of: backend).flatMap { $0.count > 1 ? Int32($0[1]) : nil }
        await connection.close()
        guard let postmaster = parent,
            let fields = statFields(of: postmaster), fields.count > 14,
            let user = Double(fields[13]), let system = Double(fields[14])
        else { return ChildCPUTime(child: child, postgres: 0) }
        return ChildCPUTime(child: child, postgres: (user + system) / Double(sysconf(Int32(_SC_CLK_TCK))))
    }

    func since(_ start: ChildCPUTime) -> ChildCPUTime {
        ChildCPUTime(child: child - start.child, postgres: postgres - start.postgres)
    }

    /// The fields of /proc/<pid>/stat after the command name: the state is [0], the parent [1],
    /// utime [11], stime [12], cutime [13], cstime [14].
    private static func statFields(of pid: Int32) -> [Substring]? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let end = stat.lastIndex(of: ")")
        else { return nil }
        return stat[stat.index(after: end)...].split(separator: " ")
    }
}

/// The CPU seconds of one database's backends while something runs, sampled from /proc every
/// 200 ms (the last moments of a backend that ends between samples are missed: a lower bound).
actor BackendCPUSampler {
    private var start: [Int32: Double] = [:]
    private var latest: [Int32: Double] = [:]
    private var sampling: Task<Void, Never>?

    func begin(_ conninfo: String) async throws {
        start = try await CPUTime.now(conninfo).backends
        sampling = Task {
            while !Task.isCancelled {
                if let now = try? await CPUTime.now(conninfo) { self.merge(now.backends) }
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    private func merge(_ backends: [Int32: Double]) {
        latest.merge(backends, uniquingKeysWith: max)
    }

    /// Stops sampling; the seconds used since `begin`.
    func end() async -> Double {
        sampling?.cancel()
        await sampling?.value
        return latest.reduce(0.0) { $0 + $1.value - (start[$1.key] ?? 0) }
    }
}
