internal import CLibPQ

extension Connection {
    /// Runs `COPY ... TO STDOUT` and hands each data chunk (one row in text format) to `body`.
    ///
    /// Returns the number of rows read. The fastest way to read a whole table; memory holds one
    /// row at a time.
    @discardableResult
    public func copyOut(_ sql: String, _ body: (UnsafeRawBufferPointer) throws -> Void = { _ in }) throws -> Int {
        let connection = try liveHandle()
        guard let started = PQexec(connection, sql) else { throw lostConnection() }
        guard PQresultStatus(started) == PGRES_COPY_OUT else {
            defer { PQclear(started) }
            throw error(from: started)
        }
        PQclear(started)
        var rows = 0
        var failure: (any Error)?
        while true {
            var buffer: UnsafeMutablePointer<CChar>?
            let length = PQgetCopyData(connection, &buffer, 0)
            if length > 0, let buffer {
                defer { PQfreemem(buffer) }
                rows += 1
                if failure == nil {
                    do { try body(UnsafeRawBufferPointer(start: buffer, count: Int(length))) } catch { failure = error }
                }
            } else if length == -1 {
                break  // done; the final result follows
            } else {
                throw lostConnection()
            }
        }
        while let result = PQgetResult(connection) {
            defer { PQclear(result) }
            if PQresultStatus(result) != PGRES_COMMAND_OK, failure == nil { failure = error(from: result) }
        }
        if let failure { throw failure }
        return rows
    }
}
