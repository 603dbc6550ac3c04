/// The rows a statement returned, already copied out of libpq.
public struct QueryResult: Sendable {
    /// Column names, in the order the statement selected them.
    public let columns: [String]
    /// Every row, in the order the server sent them.
    public let rows: [Row]
    /// The number of rows the statement inserted, updated or deleted (0 for other statements).
    public let affectedRows: Int

    /// The only row, or nil when the statement returned none.
    public var first: Row? { rows.first }
}

/// One row of a result. Values are read by column name or position and decoded on access.
public struct Row: Sendable {
    /// The result's column names, shared by its rows. Searched linearly: results have a handful
    /// of columns, and hashing every name of every result cost more than the searches it saved.
    let columns: [String]
    let values: [String?]

    /// The value of the named column as `T`; throws when the column is missing, NULL or not a `T`.
    public func decode<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        guard let value = try decodeIfPresent(column, as: type) else {
            throw PostgresError(kind: .invalidValue, message: "column \"\(column)\" is NULL")
        }
        return value
    }

    /// The value of the named column as `T`, or nil when it is NULL.
    public func decodeIfPresent<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T? {
        guard let index = columns.firstIndex(of: column) else {
            throw PostgresError(kind: .invalidValue, message: "the result has no column \"\(column)\"")
        }
        return try decodeIfPresent(index, as: type)
    }

    /// The value at a zero-based column position as `T`; throws when it is NULL or not a `T`.
    public func decode<T: PostgresDecodable>(_ index: Int, as type: T.Type = T.self) throws -> T {
        guard let value = try decodeIfPresent(index, as: type) else {
            throw PostgresError(kind: .invalidValue, message: "column \(index) is NULL")
        }
        return value
    }

    /// The value at a zero-based column position as `T`, or nil when it is NULL.
    public func decodeIfPresent<T: PostgresDecodable>(_ index: Int, as type: T.Type = T.self) throws -> T? {
        guard values.indices.contains(index) else {
            throw PostgresError(kind: .invalidValue, message: "the result has no column \(index)")
        }
        guard let text = values[index] else { return nil }
        guard let value = T(postgresText: text) else {
            throw PostgresError(kind: .invalidValue, message: "column \(index) is not a \(T.self)")
        }
        return value
    }
}
