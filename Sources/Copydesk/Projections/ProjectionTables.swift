/// The projection tables, by qualified name: the four a batch of rows is written to, and the
/// one the database fills from the articles table (search vectors, by trigger).
public struct ProjectionTables: Sendable, Hashable {
    public let articles: String
    public let revisions: String
    public let auditLog: String
    public let articleSearch: String
    public let users: String

    /// The tables the service reads.
    public static let live = ProjectionTables(
        articles: "public.articles", revisions: "public.revisions", auditLog: "public.audit_log",
        articleSearch: "public.article_search", users: "public.users")

    /// The tables rows are written into, each with the columns written, in the order a batch
    /// writes them (the search table fills itself from the articles table).
    package var written: [(table: String, columns: String)] {
        [(auditLog, AuditRow.columns), (revisions, RevisionRow.columns), (users, UserRow.columns),
         (articles, ArticleRow.columns)]
    }

    /// Each table with its counterpart in `other`, in a fixed order.
    package func paired(with other: ProjectionTables) -> [(String, String)] {
        [(articles, other.articles), (revisions, other.revisions), (auditLog, other.auditLog),
         (articleSearch, other.articleSearch), (users, other.users)]
    }
}
