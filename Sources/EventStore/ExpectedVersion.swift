/// The stream version an append expects to find, for optimistic concurrency.
public enum ExpectedVersion: Sendable, Hashable, CustomStringConvertible {
    /// Append whatever the stream's version (the caller does not care about concurrent writers).
    case any
    /// The stream must not exist yet.
    case noStream
    /// The stream must be exactly at this version (its last event has this version).
    case exactly(Int64)

    /// The value `append_events` takes: -1 any, 0 no stream, n exactly n.
    var sqlValue: Int64 {
        switch self {
        case .any: -1
        case .noStream: 0
        case .exactly(let version): version
        }
    }

    public var description: String {
        switch self {
        case .any: "any"
        case .noStream: "no stream"
        case .exactly(let version): "version \(version)"
        }
    }
}
