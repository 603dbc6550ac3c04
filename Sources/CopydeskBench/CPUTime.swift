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

    /// The CPU spent since `start`.
    func spent(since start: CPUTime) -> CPUSpent {
        CPUSpent(
            process: process - start.process, kernel: processKernel - start.processKernel,
            backends: backends.reduce(0.0) { $0 + $1.value - (start.backends[$1.key] ?? 0) })
    }
}

/// CPU spent between two readings of `CPUTime`, in seconds, added up over one or more stretches.
struct CPUSpent {
    var process = 0.0
    /// The part of `process` spent in the kernel.
    var kernel = 0.0
    var backends = 0.0

    static func += (total: inout CPUSpent, more: CPUSpent) {
        total.process += more.process
        total.kernel += more.kernel
        total.backends += more.backends
    }

    /// Says on standard error how much of it each operation took:
    /// `name: 30412 commands in 4 slices; CPU per command 0.130 ms in this process ...`.
    func report(_ name: String, operations: Double, per unit: String, counted: String = "") {
        let perOperation = { (seconds: Double) in String(format: "%.3f", seconds * 1000 / operations) }
        FileHandle.standardError.write(Data((
            "copydesk-bench: \(name): \(Int(operations)) \(unit)s\(counted); CPU per \(unit) "
                + "\(perOperation(process)) ms in this process (\(perOperation(kernel)) of it in the kernel), "
                + "\(perOperation(backends)) ms in PostgreSQL\n").utf8))
    }
}

/// `measure`, followed on standard error by the CPU each operation took in this process and in
/// the backends of the database `conninfo` names (see `CPUSpent.report`).
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
    try await CPUTime.now(conninfo).spent(since: before).report(name, operations: operations, per: unit)
    return measured
}
