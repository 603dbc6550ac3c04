import Foundation

/// One benchmark case's result, with the raw PostgreSQL figure it is compared to and its floor:
/// the same work sent to PostgreSQL without Copydesk's own code in between.
struct CaseResult: Encodable {
    let name: String
    let value: Double
    let unit: String
    var baseline: Double?
    var baselineName: String?
    var ratio: Double? { baseline.map { $0 > 0 ? value / $0 : 0 } }
    var floor: Double?
    var floorName: String?
    var floorRatio: Double? { floor.map { $0 > 0 ? value / $0 : 0 } }
    let p50_ms: Double?
    let p99_ms: Double?
    let peak_rss_mb: Double?

    init(
        name: String, value: Double, unit: String, baseline: Double? = nil, baselineName: String? = nil,
        p50_ms: Double?, p99_ms: Double?, peak_rss_mb: Double?
    ) {
        self.name = name
        self.value = value
        self.unit = unit
        self.baseline = baseline
        self.baselineName = baselineName
        self.p50_ms = p50_ms
        self.p99_ms = p99_ms
        self.peak_rss_mb = peak_rss_mb
    }

    enum CodingKeys: String, CodingKey {
        case name, value, unit, baseline, ratio, floor, floor_name, floor_ratio, p50_ms, p99_ms, peak_rss_mb
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(value.rounded(), forKey: .value)
        try container.encode(unit, forKey: .unit)
        try container.encode(baseline?.rounded(), forKey: .baseline)
        try container.encode(ratio.map { ($0 * 100).rounded() / 100 }, forKey: .ratio)
        try container.encode(floor?.rounded(), forKey: .floor)
        try container.encode(floorName, forKey: .floor_name)
        try container.encode(floorRatio.map { ($0 * 100).rounded() / 100 }, forKey: .floor_ratio)
        try container.encode(p50_ms.map { ($0 * 100).rounded() / 100 }, forKey: .p50_ms)
        try container.encode(p99_ms.map { ($0 * 100).rounded() / 100 }, forKey: .p99_ms)
        try container.encode(peak_rss_mb.map { ($0 * 10).rounded() / 10 }, forKey: .peak_rss_mb)
    }
}

/// `result` with the raw baseline and the floor it is compared to (either may be missing).
func compared(_ result: CaseResult, with baseline: CaseResult?, floor: CaseResult?) -> CaseResult {
    var result = result
    result.baseline = baseline?.value
    result.baselineName = baseline?.name
    result.floor = floor?.value
    result.floorName = floor?.name
    return result
}

/// Operations counted and their latencies, from any number of concurrent clients.
actor Recorder {
    private var latencies: [Double] = []
    private(set) var operations = 0

    func record(_ duration: Duration, operations count: Int = 1) {
        latencies.append(Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15)
        operations += count
    }

    func percentile(_ fraction: Double) -> Double? {
        guard !latencies.isEmpty else { return nil }
        let sorted = latencies.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
    }
}

/// Runs `clients` concurrent loops of `operation` for `duration`; returns operations/s and latencies.
///
/// With `available`, a client also stops after `available(client)` operations (a floor that
/// sends what it built ahead), and says so when that came before the deadline. The operations
/// and latencies are added to `recorder` (the percentiles returned are over all it holds).
func measure(
    clients: Int, for duration: Duration, operationsPerCall: Int = 1,
    available: (@Sendable (_ client: Int) -> Int)? = nil, into recorder: Recorder = Recorder(),
    _ operation: @escaping @Sendable (_ client: Int, _ iteration: Int) async throws -> Void
) async throws -> (rate: Double, p50: Double?, p99: Double?) {
    let before = await recorder.operations
    let clock = ContinuousClock()
    let started = clock.now
    let deadline = started + duration
    try await withThrowingTaskGroup(of: Void.self) { group in
        for client in 0..<clients {
            group.addTask {
                let limit = available?(client) ?? .max
                var iteration = 0
                while clock.now < deadline, iteration < limit {
                    let begin = clock.now
                    try await operation(client, iteration)
                    await recorder.record(clock.now - begin, operations: operationsPerCall)
                    iteration += 1
                }
                if iteration == limit {
                    FileHandle.standardError.write(Data(
                        "copydesk-bench: client \(client) sent all \(limit) operations before the deadline\n".utf8))
                }
            }
        }
        try await group.waitForAll()
    }
    let elapsed = seconds(clock.now - started)
    return (
        Double(await recorder.operations - before) / elapsed, await recorder.percentile(0.5),
        await recorder.percentile(0.99)
    )
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// Rows of cells as text columns, each as wide as its widest cell.
func alignedColumns(_ rows: [[String]]) -> String {
    let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
    return rows.map { row in
        row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
    }.joined(separator: "\n")
}
