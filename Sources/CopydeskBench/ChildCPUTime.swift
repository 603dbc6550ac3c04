import Foundation
import Postgres

/// CPU seconds (user + system) of processes that ended: this process's children (the
/// `copydesk replay` the bench runs), and the PostgreSQL server's (its backends, which end with
/// their connections). Taken before and after a child runs, the difference is what it and the
/// backends serving it used, where `CPUTime` would miss backends already gone.
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
