/// The actors Copydesk itself acts as, and the names no person may take.
extension Actor {
    /// Publishes scheduled articles when they are due.
    public static let scheduler = Actor(name: "scheduler", role: .publisher, kind: .system)

    /// Records what existed before it was kept as events (the users a migration gave a history).
    public static let migration = Actor(name: "migration", role: .admin, kind: .system)

    /// Every actor the system acts as; their names are reserved.
    public static let system: [Actor] = [.scheduler, .migration]

    /// Whether `name` belongs to the system, so no user may be added, sign in or act under it
    /// (otherwise a person's steps would read exactly like the system's in the history).
    public static func isReserved(_ name: String) -> Bool {
        system.contains { $0.name == name }
    }
}
