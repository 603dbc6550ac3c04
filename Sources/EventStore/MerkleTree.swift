import Crypto

/// A Merkle tree hash over event hashes, computed one leaf at a time in O(log n) memory.
///
/// The tree is the one of RFC 6962 (Certificate Transparency), section 2.1, so anyone can
/// recompute a root with a few lines in any language:
///
/// - a leaf is `SHA-256(0x00 || event hash)`, where the event hash is the 32-byte `events.hash`
///   the hash chain stores, taken in global-position order;
/// - an inner node is `SHA-256(0x01 || left || right)`;
/// - for n > 1 leaves the left subtree holds the largest power of two smaller than n leaves and
///   the right subtree the rest, so a node without a sibling is promoted unchanged, never
///   duplicated (duplicating would give two different leaf lists the same root);
/// - the root of no leaves is `SHA-256()` of nothing.
///
/// The prefixes keep a leaf from ever being mistaken for an inner node.
public struct MerkleTree: Sendable {
    /// Roots of complete subtrees not yet merged, left to right, with their heights: at most
    /// one per height, so never more than 64.
    private var pending: [(height: Int, hash: [UInt8])] = []
    /// How many leaves were added.
    public private(set) var count: Int64 = 0

    public init() {}

    /// Adds the next leaf: an event's stored hash.
    public mutating func append(_ eventHash: [UInt8]) {
        var node = (height: 0, hash: Self.digest(prefix: 0, eventHash))
        while let last = pending.last, last.height == node.height {
            pending.removeLast()
            node = (node.height + 1, Self.digest(prefix: 1, last.hash, node.hash))
        }
        pending.append(node)
        count += 1
    }

    /// The root over every leaf added so far.
    public var root: [UInt8] {
        guard var right = pending.last?.hash else { return Self.digest() }
        // Folding from the right promotes the smaller, incomplete subtrees exactly as RFC 6962 splits.
        for left in pending.dropLast().reversed() {
            right = Self.digest(prefix: 1, left.hash, right)
        }
        return right
    }

    private static func digest(prefix: UInt8? = nil, _ parts: [UInt8]...) -> [UInt8] {
        var hasher = SHA256()
        if let prefix { hasher.update(data: [prefix]) }
        for part in parts { hasher.update(data: part) }
        return Array(hasher.finalize())
    }
}
