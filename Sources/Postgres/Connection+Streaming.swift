internal import CLibPQ

extension Connection {
    /// Runs one statement and hands its rows to `body` one at a time, as they arrive.
    ///
    /// Uses libpq's single-row mode, so memory stays bounded whatever the number of rows. When
    /// `body` throws, the rest of the statement is cancelled and the error is rethrown; the
    /// connection stays usable.
    public func forEachRow(
        _ sql: String, _ parameters: [(any PostgresEncodable)?] = [], _ body: (Row) throws -> Void
    ) throws {
        let connection = try liveHandle()
        let texts = try parameterTexts(parameters)
        let sent = withCStrings(texts) { pointers in
            PQsendQueryParams(connection, sql, Int32(pointers.count), nil, pointers, nil, nil, 0)
        }
        guard sent == 1 else { throw lostConnection() }
        PQsetSingleRowMode(connection)

        var failure: (any Error)?
        while let result = PQgetResult(connection) {
            defer { PQclear(result) }
            guard failure == nil else { continue }  // draining after an error
            switch PQresultStatus(result) {
            case PGRES_SINGLE_TUPLE:
                do {
                    for row in Self.copyRows(result).rows { try body(row) }
                } catch {
                    failure = error
                    cancelRunningStatement(connection)
                }
            case PGRES_TUPLES_OK, PGRES_COMMAND_OK:
                break
            default:
                failure = self.error(from: result)
            }
        }
        // libpq 15 resets single-row mode only when the next query starts outside pipeline mode:
        // the first statement of a later pipeline on this connection would still get its rows one
        // by one, and the pipeline would misread its results. An empty query resets it.
        if let reset = PQexec(connection, "") { PQclear(reset) }
        if let failure { throw failure }
    }

    /// Asks the server to stop the statement in progress; its remaining results are still drained.
    private func cancelRunningStatement(_ connection: OpaquePointer) {
        guard let cancel = PQgetCancel(connection) else { return }
        defer { PQfreeCancel(cancel) }
        var buffer = [CChar](repeating: 0, count: 256)
        _ = PQcancel(cancel, &buffer, Int32(buffer.count))
    }
}
