import Foundation

/// A Merkle root over every event up to a global position: a few lines to keep outside the
/// database (mail, a git repository, a printout), so that a forger who can rewrite and re-chain
/// whole streams is still caught by `copydesk verify --anchor`.
///
/// The root is `MerkleTree`'s over the stored hashes of the events at positions 1 through
/// `position`, in position order.
public struct Anchor: Sendable, Hashable, Codable {
    /// The last global position the root covers.
    public let position: Int64
    /// How many events the root covers (positions skipped by rolled-back appends hold none).
    public let events: Int64
    /// The Merkle root, 64 lowercase hexadecimal digits.
    public let root: String
    /// When the anchor was taken, by the database's clock.
    public let takenAt: Date

    public init(position: Int64, events: Int64, root: String, takenAt: Date) {
        self.position = position
        self.events = events
        self.root = root
        self.takenAt = takenAt
    }

    /// Whether the same events are covered: position, count and root agree (the time does not matter).
    public func matches(_ other: Anchor) -> Bool {
        position == other.position && events == other.events && root == other.root
    }

    /// The text form, one `name: value` per line, read back by `init(parsing:)`.
    public var text: String {
        """
        copydesk anchor (Merkle tree of RFC 6962 over SHA-256 event hashes)
        position: \(position)
        events: \(events)
        root: \(root)
        taken: \(takenAt.formatted(.iso8601))

        """
    }

    /// Reads an anchor in the text form or as JSON (`{"position", "events", "root", "takenAt"}`).
    public init(parsing text: String) throws(AnchorError) {
        if text.drop(while: \.isWhitespace).first == "{" {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .custom { decoder in
                let text = try decoder.singleValueContainer().decode(String.self)
                guard let date = Self.date(text) else {
                    throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "takenAt"))
                }
                return date
            }
            do {
                self = try decoder.decode(Anchor.self, from: Data(text.utf8))
            } catch {
                throw .unreadable("it is JSON but lacks position, events, root or takenAt, or one of them is invalid")
            }
        } else {
            var fields: [Substring: Substring] = [:]
            for line in text.split(whereSeparator: \.isNewline) {
                guard let colon = line.firstIndex(of: ":") else { continue }
                fields[line[..<colon]] = line[line.index(after: colon)...].drop(while: \.isWhitespace)
            }
            guard let position = fields["position"].flatMap({ Int64($0) }) else { throw .unreadable("it has no position") }
            guard let events = fields["events"].flatMap({ Int64($0) }) else { throw .unreadable("it has no events count") }
            guard let root = fields["root"].map(String.init) else { throw .unreadable("it has no root") }
            guard let takenAt = fields["taken"].flatMap({ Self.date(String($0)) }) else {
                throw .unreadable("it has no time it was taken")
            }
            self = Anchor(position: position, events: events, root: root, takenAt: takenAt)
        }
        guard position >= 0, events >= 0, events <= position else {
            throw .unreadable("its position and events count cannot both be right")
        }
        guard root.count == 64, root.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
            throw .unreadable("its root is not 64 lowercase hexadecimal digits")
        }
    }

    private static func date(_ text: String) -> Date? {
        (try? Date(text, strategy: .iso8601))
            ?? (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
    }
}

/// Why an anchor could not be taken or read.
public enum AnchorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The anchor file is not one `copydesk anchor` writes.
    case unreadable(String)
    /// A transaction that may hold events below the anchor's position stayed open too long.
    case unsettled(seconds: Int)

    public var description: String {
        switch self {
        case .unreadable(let reason):
            "the anchor cannot be read: \(reason). Give the file `copydesk anchor` printed, unchanged"
        case .unsettled(let seconds):
            "a transaction that may still add events below the anchor's position has been open for over "
                + "\(seconds) s, so no anchor was taken; try again once it ends"
        }
    }
}
