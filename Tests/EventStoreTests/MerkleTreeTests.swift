import Crypto
import EventStore
import Foundation
import Testing

@Suite("The Merkle tree of anchors (RFC 6962 over event hashes)")
struct MerkleTreeTests {
    private static func sha256(_ bytes: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: bytes)) }

    /// RFC 6962's recursive definition, written independently of the streaming one.
    private static func reference(_ leaves: ArraySlice<[UInt8]>) -> [UInt8] {
        if leaves.isEmpty { return sha256([]) }
        if leaves.count == 1 { return sha256([0] + leaves.first!) }
        var split = 1
        while split * 2 < leaves.count { split *= 2 }
        let middle = leaves.startIndex + split
        return sha256([1] + reference(leaves[..<middle]) + reference(leaves[middle...]))
    }

    private static func root(_ leaves: [[UInt8]]) -> [UInt8] {
        var tree = MerkleTree()
        for leaf in leaves { tree.append(leaf) }
        #expect(tree.count == Int64(leaves.count))
        return tree.root
    }

    private static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    @Test("known roots: no leaves, one leaf, three leaves (the odd one promoted, not duplicated)")
    func knownRoots() {
        let leaves = ["a", "b", "c"].map { Self.sha256(Array($0.utf8)) }
        #expect(Self.hex(Self.root([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Self.hex(Self.root([leaves[0]])) == "a23bd5b06da9048238a65b3f1d9d0b9e15fae3dde262688e6489aa4c763d1820")
        #expect(Self.hex(Self.root(leaves)) == "cac3d448d4e20a2ad5eae1f500e63c2a7f9217cd14572ba7fd22e26dc1ec2648")
        #expect(Self.root(leaves) != Self.root(leaves + [leaves[2]]), "duplicating the last leaf changes the root")
    }

    @Test("the streaming root equals the recursive definition for 0 to 70 leaves")
    func matchesDefinition() {
        let leaves = (0..<70).map { Self.sha256(Array("event \($0)".utf8)) }
        for count in 0...leaves.count {
            #expect(Self.root(Array(leaves.prefix(count))) == Self.reference(leaves.prefix(count)), "\(count) leaves")
        }
    }

    @Test("an anchor reads back from its text and its JSON; a damaged one is refused")
    func anchorForms() throws {
        let anchor = Anchor(
            position: 42, events: 40, root: String(repeating: "0f", count: 32),
            takenAt: Date(timeIntervalSince1970: 1_800_000_000))
        #expect(try Anchor(parsing: anchor.text) == anchor)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let json = String(decoding: try encoder.encode(anchor), as: UTF8.self)
        #expect(try Anchor(parsing: json) == anchor)
        #expect(throws: AnchorError.self) { try Anchor(parsing: anchor.text.replacingOccurrences(of: "0f", with: "0F")) }
        #expect(throws: AnchorError.self) { try Anchor(parsing: "position: 42\n") }
        #expect(throws: AnchorError.self) { try Anchor(parsing: "{\"position\": 42}") }
    }
}
