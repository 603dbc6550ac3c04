/// Errors the event store reports about an append, beyond database errors.
public enum EventStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The stream was not at the expected version: someone else wrote first. Nothing was written.
    case versionConflict(stream: String, expected: ExpectedVersion, actual: Int64)
    /// The append was malformed (no events, say). Nothing was written.
    case invalidAppend(String)

    public var description: String {
        switch self {
        case .versionConflict(let stream, let expected, let actual):
            "version conflict on \(stream): expected \(expected), but it is at version \(actual); nothing was written. "
                + "Reload it and try again."
        case .invalidAppend(let reason):
            "invalid append: \(reason); nothing was written"
        }
    }
}
