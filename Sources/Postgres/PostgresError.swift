/// An error from PostgreSQL or from talking to it.
///
/// `description` names the kind, the SQLSTATE and the server's primary message; it never includes
/// the SQL text or parameter values, so it is safe to log and to show to a user. The server's
/// `detail` (which may quote data, such as a duplicate key) is available separately.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, broadly: the caller decides from this whether to retry, reconnect or report.
    public enum Kind: Sendable, Equatable {
        /// The connection could not be opened (server down, wrong address, authentication).
        case connectionFailed
        /// The connection broke while in use (server restart, terminated backend, network).
        case connectionLost
        /// The server executed the statement and reported an error with a SQLSTATE.
        case server
        /// A parameter cannot be sent: it holds a NUL character, which PostgreSQL text cannot hold.
        /// Nothing was sent; the caller's input is at fault.
        case unsendableValue
        /// A result could not be read as the requested type, or the client library refused a value.
        case invalidValue
    }

    public let kind: Kind
    /// The SQLSTATE, present for `.server` errors.
    public let code: SQLState?
    /// The primary, human-readable message.
    public let message: String
    /// Optional detail from the server; it may contain data values.
    public let detail: String?
    /// Optional advice from the server on what to do.
    public let hint: String?
    /// The constraint that was violated, when the server names one.
    public let constraint: String?

    public init(
        kind: Kind, code: SQLState? = nil, message: String,
        detail: String? = nil, hint: String? = nil, constraint: String? = nil
    ) {
        self.kind = kind
        self.code = code
        self.message = message
        self.detail = detail
        self.hint = hint
        self.constraint = constraint
    }

    public var description: String {
        switch kind {
        case .connectionFailed: "cannot connect to PostgreSQL: \(message)"
        case .connectionLost: "lost the connection to PostgreSQL: \(message)"
        case .server: "PostgreSQL error \(code?.rawValue ?? "?????"): \(message)"
        case .unsendableValue, .invalidValue: "invalid value: \(message)"
        }
    }

    /// True when the database could not be reached or the connection broke: the operation did not
    /// complete and may be retried once PostgreSQL is back.
    ///
    /// A write refused because the server is read-only (25006) counts: after a failover, a
    /// connection opened to the old primary finds it demoted to a standby. The pool closes such a
    /// connection, so the retry reconnects, to the new primary when the conninfo names every host
    /// with `target_session_attrs=read-write`.
    public var isUnavailable: Bool {
        switch kind {
        case .connectionFailed, .connectionLost: true
        case .server:
            code == .adminShutdown || code == .cannotConnectNow || code == .readOnlySQLTransaction
                || code?.errorClass == "08"
        case .unsendableValue, .invalidValue: false
        }
    }

    /// A server that refused a write because it is read-only (a standby, or a demoted primary).
    public var isReadOnlyServer: Bool { code == .readOnlySQLTransaction }
}
