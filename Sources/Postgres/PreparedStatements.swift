/// The statements one session has prepared, so each SQL text is parsed and planned once per
/// connection instead of on every call.
///
/// Bounded: SQL built with varying text (rare here) would otherwise grow the server's memory.
/// Past the bound, statements simply run unprepared. Prepared statements outlive transactions,
/// including rolled-back ones, and the server replans them itself when a table they use changes.
struct PreparedStatements: Sendable {
    static let capacity = 200

    private var names: [String: String] = [:]
    private var namesGiven = 0

    func name(of sql: String) -> String? {
        names[sql]
    }

    /// A name no statement of this session has had, or nil when the session keeps no more.
    mutating func freshName() -> String? {
        guard names.count < Self.capacity else { return nil }
        namesGiven += 1
        return "copydesk_\(namesGiven)"
    }

    mutating func remember(_ sql: String, as name: String) {
        names[sql] = name
    }

    /// Prepares every statement again from now on (under new names; the old ones are left to
    /// the session, which a schema change is rare enough to allow).
    mutating func forgetAll() {
        names.removeAll()
    }
}

extension PostgresError {
    /// The server refused a prepared statement because a table it reads changed shape since it
    /// was prepared (a migration while the service ran); preparing it again fixes it.
    var isStalePreparedStatement: Bool {
        code == SQLState(rawValue: "0A000") && message.contains("cached plan must not change result type")
    }
}
