internal import CLibPQ

/// Statements to send together in libpq's pipeline mode: one network round trip for all of them.
public struct Pipeline: Sendable {
    struct Statement: Sendable {
        let sql: String
        let parameters: [String?]
    }

    var statements: [Statement] = []

    public init() {}

    /// How many statements it holds: the index the next one's result will have.
    public var count: Int { statements.count }

    /// Adds a statement; its result comes back at the same index.
    public mutating func append(_ sql: String, _ parameters: [(any PostgresEncodable)?] = []) {
        statements.append(Statement(sql: sql, parameters: parameters.map { $0?.postgresText }))
    }
}

extension Connection {
    /// Sends every statement of `pipeline` at once and waits once for all their results.
    ///
    /// When a statement fails, the server skips the ones after it and the first error is thrown;
    /// inside a transaction the transaction is then aborted, as with separate statements.
    public func run(_ pipeline: Pipeline) throws -> [QueryResult] {
        let connection = try liveHandle()
        if pipeline.statements.contains(where: { $0.parameters.contains { $0?.utf8.contains(0) == true } }) {
            throw PostgresError(
                kind: .unsendableValue,
                message: "a parameter contains a NUL character, which PostgreSQL text cannot hold")
        }
        guard PQenterPipelineMode(connection) == 1 else { throw lostConnection() }
        defer { PQexitPipelineMode(connection) }
        // Each statement runs prepared; one seen for the first time on this session is prepared
        // in the same pipeline, and its name kept once the server has accepted it.
        var newlyPrepared: [Int: String] = [:]
        for (index, statement) in pipeline.statements.enumerated() {
            var name = preparedStatements.name(of: statement.sql)
            if name == nil, let fresh = preparedStatements.freshName() {
                guard PQsendPrepare(connection, fresh, statement.sql, Int32(statement.parameters.count), nil) == 1 else {
                    throw lostConnection()
                }
                newlyPrepared[index] = fresh
                name = fresh
            }
            let sent = withCStrings(statement.parameters) { pointers in
                if let name {
                    return PQsendQueryPrepared(connection, name, Int32(pointers.count), pointers, nil, nil, 0)
                }
                return PQsendQueryParams(connection, statement.sql, Int32(pointers.count), nil, pointers, nil, nil, 0)
            }
            guard sent == 1 else { throw lostConnection() }
        }
        guard PQpipelineSync(connection) == 1 else { throw lostConnection() }

        var results: [QueryResult] = []
        var failure: PostgresError?
        /// The next result of the pipeline, with the NULL that ends each one consumed.
        func nextResult() throws -> OpaquePointer {
            guard let result = PQgetResult(connection) else { throw lostConnection() }
            while let extra = PQgetResult(connection) { PQclear(extra) }
            return result
        }
        for (index, statement) in pipeline.statements.enumerated() {
            if let name = newlyPrepared[index] {
                let preparation = try nextResult()
                switch PQresultStatus(preparation) {
                case PGRES_COMMAND_OK: preparedStatements.remember(statement.sql, as: name)
                case PGRES_PIPELINE_ABORTED: break
                default: if failure == nil { failure = error(from: preparation) }
                }
                PQclear(preparation)
            }
            let result = try nextResult()
            switch PQresultStatus(result) {
            case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
                results.append(Self.copyRows(result))
            case PGRES_PIPELINE_ABORTED:
                results.append(QueryResult(columns: [], rows: [], affectedRows: 0))
            default:
                if failure == nil { failure = error(from: result) }
                results.append(QueryResult(columns: [], rows: [], affectedRows: 0))
            }
            PQclear(result)
        }
        // The sync point.
        if let sync = PQgetResult(connection) { PQclear(sync) }
        if let failure {
            // A migration changed what a prepared statement returns: prepare afresh next time.
            if failure.isStalePreparedStatement { preparedStatements.forgetAll() }
            throw failure
        }
        return results
    }
}
