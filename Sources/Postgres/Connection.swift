internal import CLibPQ
import Foundation

/// One connection to PostgreSQL.
///
/// A `Connection` is an actor whose executor is a dedicated thread: libpq's blocking calls run
/// there, never on Swift's cooperative pool. Code that needs several statements in a row (a
/// transaction, say) receives the connection `isolated` and calls it synchronously.
public actor Connection {
    private let executor: ThreadExecutor
    /// The libpq connection; nil once closed. Owned by this actor and freed exactly once.
    ///
    /// `nonisolated(unsafe)` only so that `isUsable()` can look at it without a hop to the
    /// connection's thread: the pool calls that while it alone holds the connection (checked in
    /// or about to be lent), when nothing else can be using it. Everything else is isolated.
    nonisolated(unsafe) private var handle: OpaquePointer?
    /// Statements prepared on this session, by SQL text: repeated statements skip parsing and planning.
    var preparedStatements = PreparedStatements()

    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    private init(executor: ThreadExecutor) {
        self.executor = executor
    }

    isolated deinit {
        if let handle { PQfinish(handle) }
        executor.shutdown()
    }

    /// Opens a connection from a libpq conninfo string (`host=... dbname=...`) or URI (`postgresql://...`).
    public static func connect(to conninfo: String) async throws -> Connection {
        let connection = Connection(executor: ThreadExecutor(name: "postgres-connection"))
        try await connection.open(conninfo)
        return connection
    }

    private func open(_ conninfo: String) throws {
        guard let connection = PQconnectdb(conninfo) else {
            throw PostgresError(kind: .connectionFailed, message: "libpq could not allocate a connection")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = Self.clientMessage(connection)
            PQfinish(connection)
            throw PostgresError(kind: .connectionFailed, message: message)
        }
        handle = connection
        // Server notices (warnings) would otherwise be printed to stderr by libpq, mid-output.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        // Fixed session settings make text results parse the same way on every server.
        try executeScript("SET TimeZone TO 'UTC'; SET DateStyle TO 'ISO, YMD'; SET client_encoding TO 'UTF8'")
    }

    /// Closes the connection. Later calls fail with `.connectionLost`.
    public func close() {
        if let handle { PQfinish(handle) }
        handle = nil
    }

    /// The server process id serving this connection (as `pg_backend_pid()` reports it).
    public var backendPID: Int32 {
        guard let handle else { return 0 }
        return PQbackendPID(handle)
    }

    /// Runs one statement with `$1`, `$2`, ... parameters and returns its rows.
    ///
    /// A nil parameter is SQL NULL. Parameter values never become part of the SQL text.
    @discardableResult
    public func query(_ sql: String, _ parameters: [(any PostgresEncodable)?] = []) throws -> QueryResult {
        let connection = try liveHandle()
        let texts = try parameterTexts(parameters)
        let wasInTransaction = isInTransaction
        func execute() throws -> QueryResult {
            let name = try prepared(sql, parameterCount: texts.count)
            let result = withCStrings(texts) { pointers in
                if let name { return PQexecPrepared(connection, name, Int32(pointers.count), pointers, nil, nil, 0) }
                return PQexecParams(connection, sql, Int32(pointers.count), nil, pointers, nil, nil, 0)
            }
            return try consume(result)
        }
        do {
            return try execute()
        } catch let error as PostgresError where error.isStalePreparedStatement {
            // A migration changed what the statement returns; it is prepared afresh. Outside a
            // transaction nothing was done, so it is simply run again.
            preparedStatements.forgetAll()
            guard !wasInTransaction else { throw error }
            return try execute()
        }
    }

    /// The name `sql` is prepared under on this session, preparing it first if needed; nil when
    /// the session already holds as many prepared statements as it keeps.
    private func prepared(_ sql: String, parameterCount: Int) throws -> String? {
        if let name = preparedStatements.name(of: sql) { return name }
        guard let name = preparedStatements.freshName() else { return nil }
        let connection = try liveHandle()
        _ = try consume(PQprepare(connection, name, sql, Int32(parameterCount), nil))
        preparedStatements.remember(sql, as: name)
        return name
    }

    /// Runs SQL text without parameters, possibly several statements separated by `;` (migrations, `SET`).
    public func executeScript(_ sql: String) throws {
        let connection = try liveHandle()
        // PQexec returns the last statement's result (or the first error) and frees the others.
        _ = try consume(PQexec(connection, sql))
    }

    /// Runs `body` with this connection isolated: several statements back to back on its thread,
    /// outside any transaction (each statement commits on its own).
    public func perform<T: Sendable>(_ body: @Sendable (isolated Connection) throws -> T) throws -> T {
        try body(self)
    }

    /// Runs `body` inside `BEGIN` ... `COMMIT`, rolling back when it throws.
    ///
    /// `body` receives this connection isolated, so its statements run back to back on the
    /// connection's thread.
    public func transaction<T: Sendable>(
        _ body: @Sendable (isolated Connection) async throws -> T
    ) async throws -> T {
        try executeScript("BEGIN")
        do {
            let value = try await body(self)
            try commit()
            return value
        } catch {
            rollbackIfPossible()
            throw error
        }
    }

    /// Commits, and fails when the server rolled back instead (the transaction had already failed).
    private func commit() throws {
        let connection = try liveHandle()
        guard let result = PQexec(connection, "COMMIT") else { throw lostConnection() }
        defer { PQclear(result) }
        guard PQresultStatus(result) == PGRES_COMMAND_OK else { throw error(from: result) }
        if String(cString: PQcmdStatus(result)) == "ROLLBACK" {
            throw PostgresError(
                kind: .server, code: SQLState(rawValue: "25P02"),
                message: "the transaction was rolled back because an earlier statement in it failed")
        }
    }

    private func rollbackIfPossible() {
        guard let handle, PQstatus(handle) == CONNECTION_OK, PQtransactionStatus(handle) != PQTRANS_IDLE else { return }
        if let result = PQexec(handle, "ROLLBACK") { PQclear(result) }
    }

    /// True while the connection is usable: no broken socket and not inside a failed transaction.
    ///
    /// Checks the socket without blocking, so a connection the server closed while it sat idle
    /// (a restart, say) is noticed before a statement is sent on it.
    ///
    /// Runs on the caller's thread (a pool checks each connection as it lends and takes it back,
    /// and a hop to the connection's thread each time cost a quarter of a short query's time).
    /// Call it only while no other task is using the connection.
    public nonisolated func isUsable() -> Bool {
        guard let handle, PQstatus(handle) == CONNECTION_OK else { return false }
        guard PQtransactionStatus(handle) == PQTRANS_IDLE else { return false }
        // An idle connection hears nothing but notices and notifications. When the server has
        // gone, the socket stays readable (the goodbye message, then end-of-file) and reading it
        // again makes libpq notice the end.
        for _ in 0..<4 {
            var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 0) > 0 else { return true }
            if PQconsumeInput(handle) == 0 || PQstatus(handle) != CONNECTION_OK { return false }
        }
        // Still talking after several reads while idle: not a state worth trusting.
        return false
    }

    /// True while a transaction is open on this connection (also a failed one awaiting ROLLBACK).
    public var isInTransaction: Bool {
        guard let handle else { return false }
        let status = PQtransactionStatus(handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE
    }

    /// Quotes a name (table, channel, role) for SQL; for names that cannot be parameters.
    public func quoteIdentifier(_ name: String) throws -> String {
        let connection = try liveHandle()
        guard let quoted = PQescapeIdentifier(connection, name, name.utf8.count) else {
            throw PostgresError(kind: .invalidValue, message: Self.clientMessage(connection))
        }
        defer { PQfreemem(quoted) }
        return String(cString: quoted)
    }

    // MARK: - Internals shared with extensions

    /// Parameters in text format; refuses NUL characters, which PostgreSQL text cannot hold.
    func parameterTexts(_ parameters: [(any PostgresEncodable)?]) throws -> [String?] {
        var texts: [String?] = []
        texts.reserveCapacity(parameters.count)
        for (position, parameter) in parameters.enumerated() {
            let text = parameter?.postgresText
            if let text, text.utf8.contains(0) {
                throw PostgresError(
                    kind: .unsendableValue,
                    message: "parameter $\(position + 1) contains a NUL character, which PostgreSQL text cannot hold")
            }
            texts.append(text)
        }
        return texts
    }

    func liveHandle() throws -> OpaquePointer {
        guard let handle else {
            throw PostgresError(kind: .connectionLost, message: "the connection is closed")
        }
        return handle
    }

    func lostConnection() -> PostgresError {
        PostgresError(kind: .connectionLost, message: handle.map(Self.clientMessage) ?? "the connection is closed")
    }

    /// Turns a libpq result into a `QueryResult` or an error, and frees it.
    func consume(_ result: OpaquePointer?) throws -> QueryResult {
        guard let result else { throw lostConnection() }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY, PGRES_SINGLE_TUPLE:
            return Self.copyRows(result)
        default:
            throw error(from: result)
        }
    }

    /// A typed error from a failed result: server errors keep their SQLSTATE; a broken link is `.connectionLost`.
    func error(from result: OpaquePointer) -> PostgresError {
        func field(_ code: Character) -> String? {
            guard let value = PQresultErrorField(result, Int32(code.asciiValue!)) else { return nil }
            return String(cString: value)
        }
        let code = field("C").map(SQLState.init(rawValue:))
        let message = field("M") ?? Self.trimmed(String(cString: PQresultErrorMessage(result)))
        if let handle, PQstatus(handle) != CONNECTION_OK {
            return PostgresError(kind: .connectionLost, code: code, message: message)
        }
        guard code != nil else {
            return PostgresError(kind: .connectionLost, message: message)
        }
        return PostgresError(
            kind: .server, code: code, message: message,
            detail: field("D"), hint: field("H"), constraint: field("n"))
    }

    static func copyRows(_ result: OpaquePointer) -> QueryResult {
        let columnCount = Int(PQnfields(result))
        let rowCount = Int(PQntuples(result))
        let names = (0..<columnCount).map { String(cString: PQfname(result, Int32($0))) }
        var rows: [Row] = []
        rows.reserveCapacity(rowCount)
        for row in 0..<rowCount {
            var values: [String?] = []
            values.reserveCapacity(columnCount)
            for column in 0..<columnCount {
                if PQgetisnull(result, Int32(row), Int32(column)) == 1 {
                    values.append(nil)
                } else {
                    let length = Int(PQgetlength(result, Int32(row), Int32(column)))
                    let bytes = UnsafeRawBufferPointer(start: PQgetvalue(result, Int32(row), Int32(column)), count: length)
                    values.append(String(decoding: bytes, as: UTF8.self))
                }
            }
            rows.append(Row(columns: names, values: values))
        }
        let affected = Int(String(cString: PQcmdTuples(result))) ?? 0
        return QueryResult(columns: names, rows: rows, affectedRows: affected)
    }

    static func clientMessage(_ connection: OpaquePointer) -> String {
        trimmed(String(cString: PQerrorMessage(connection)))
    }

    static func trimmed(_ message: String) -> String {
        message.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Calls `body` with C strings for `texts` (nil stays a null pointer), valid only during the call.
func withCStrings<R>(_ texts: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let copies: [UnsafeMutablePointer<CChar>?] = texts.map { $0.flatMap { strdup($0) } }
    defer { for copy in copies { free(copy) } }
    return body(copies.map { $0.map { UnsafePointer($0) } })
}
