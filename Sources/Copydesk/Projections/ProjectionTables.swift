/// The three projection tables a batch of rows is written to, by qualified name.
public struct ProjectionTables: Sendable, Hashable {
    public let articles: String
    public let revisions: String
    public let auditLog: String

    /// The tables the service reads.
    public static let live = ProjectionTables(
        articles: "public.articles", revisions: "public.revisions", auditLog: "public.audit_log")

    /// Each table with its counterpart in `other`, in a fixed order.
    func paired(with other: ProjectionTables) -> [(String, String)] {
        [(articles, other.articles), (revisions, other.revisions), (auditLog, other.auditLog)]
    }
}
