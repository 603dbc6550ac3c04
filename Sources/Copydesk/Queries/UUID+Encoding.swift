import Foundation

// Copydesk prints and stores ids in lowercase (`article-<uuid>` streams, CLI output), but
// Foundation encodes a UUID in uppercase. These overloads are more specific than the generic
// `encode`, so every Encodable synthesized in this module writes its ids in lowercase too, and
// `show --json | jq -r .id` gives back exactly the id `draft` printed.
extension KeyedEncodingContainer {
    /// Encodes a UUID in lowercase.
    public mutating func encode(_ value: UUID, forKey key: Key) throws {
        try encode(value.lowercased, forKey: key)
    }

    /// Encodes a UUID in lowercase, or nothing when absent.
    public mutating func encodeIfPresent(_ value: UUID?, forKey key: Key) throws {
        try encodeIfPresent(value?.lowercased, forKey: key)
    }
}
