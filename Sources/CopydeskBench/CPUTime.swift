import Foundation
import Postgres

/// CPU time spent, in seconds: by this process (the server and the load generator), and by the
/// PostgreSQL backends serving a database. Per page, it tells where the time goes however busy
/// the machine is with other work, which rates and latencies do not.
struct CPUTime {
    let process: Double
    /// The part of `process` spent in the kernel on the process's behalf (system time).
    let processKernel: Double
    /// By backend process id (read from /proc; empty for a server on another machine).
    let backends: [Int32: Double]

    /// Now, for the backends connected to the database `conninfo` names.
    static func now(_ conninfo: String) async throws -> CPUTime {
        let connection = try await Connection.connect(to: conninfo)
        let pids: [Int32] = try await connection.query(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).rows.map { try $0.decode("pid") }
        await connection.close()
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let kernel = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        let process = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + kernel
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        var backends: [Int32: Double] = [:]
        for pid in pids {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let end = stat.lastIndex(of: ")")
            else { continue }
            // After the command name: the state is field 3, utime field 14, stime field 15.
            let fields = stat[stat.index(after: end)...].split(separator: " ")
            guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { continue }
            backends[pid] = (user + system) / ticks
        }
        return CPUTime(process: process, processKernel: kernel, backends: backends)
    }

    /// Milliseconds of CPU per operation since `start`: in this process (and the kernel's part of
    /// it), and in the backends.
    func perOperation(since start: CPUTime, operations: Double) -> (process: Double, kernel: Double, backends: Double) {
        let backendSeconds = backends.reduce(0.0) { $0 + $1.value - (start.backends[$1.key] ?? 0) }
        return (
            (process - start.process) * 1000 / operations, (processKernel - start.processKernel) * 1000 / operations,
            backendSeconds * 1000 / operations
        )
    }
}

/// `measure`, followed on standard error by the CPU each operation took in this process and in
/// the backends of the database `conninfo` names (`name: 30412 commands; CPU per command ...`).
func measure(
    _ name: String, per unit: String, conninfo: String, clients: Int, for duration: Duration,
    available: (@Sendable (_ client: Int) -> Int)? = nil,
    _ operation: @escaping @Sendable (_ client: Int, _ iteration: Int) async throws -> Void
) async throws -> (rate: Double, p50: Double?, p99: Double?) {
    let before = try await CPUTime.now(conninfo)
    let clock = ContinuousClock()
    let started = clock.now
    let measured = try await measure(clients: clients, for: duration, available: available, operation)
    let operations = measured.rate * seconds(clock.now - started)
    let cpu = try await CPUTime.now(conninfo).perOperation(since: before, operations: operations)
    FileHandle.standardError.write(Data((
        "copydesk-bench: \(name): \(Int(operations)) \(unit)s; CPU per \(unit) "
            + String(
                format: "%.3f ms in this process (%.3f of it in the kernel), %.3f ms in PostgreSQL\n", cpu.process,
                cpu.kernel, cpu.backends)).utf8))
    return measured
}
