/// What a user may do in the newsroom; each role can do everything the roles below it can.
public enum Role: String, Codable, Sendable, CaseIterable, Comparable {
    /// Writes drafts and revises their own articles.
    case author
    /// Reviews, edits and approves anyone's articles.
    case editor
    /// Puts approved articles live, schedules and withdraws them.
    case publisher
    /// Administers users; may do everything a publisher can.
    case admin

    /// The position of the role in the ordering author < editor < publisher < admin.
    public var rank: Int {
        switch self {
        case .author: 0
        case .editor: 1
        case .publisher: 2
        case .admin: 3
        }
    }

    /// Orders roles by their rank, so `role >= .editor` reads as "editor or higher".
    public static func < (lhs: Role, rhs: Role) -> Bool {
        lhs.rank < rhs.rank
    }
}
