import Foundation

/// Writes an event's JSON payload member by member, for the `write(to:)` of each payload type:
/// the mirror of `PayloadReader`, and the one way article events are encoded.
///
/// Every command encodes its events, and `JSONEncoder` (a tree of boxed values, keys sorted at
/// the end, a closure for every date) was the largest step of a command's own work. This writes
/// the very bytes the encoder wrote (the tests hold the two together): members in sorted key
/// order (each type writes them so), absent optionals left out, dates as `EventTimestamp`
/// strings, `/` unescaped, and only `"`, `\` and control characters escaped.
struct PayloadWriter {
    private(set) var text = ""
    /// True right after `{`, where no comma comes before the member.
    private var atFirstMember = true

    /// Writes `payload` as a JSON object.
    static func write(_ payload: some PayloadWritable) -> String {
        var writer = PayloadWriter()
        writer.text.reserveCapacity(256)
        writer.object(payload)
        return writer.text
    }

    private mutating func object(_ payload: some PayloadWritable) {
        text += "{"
        atFirstMember = true
        payload.write(to: &self)
        text += "}"
        atFirstMember = false
    }

    private mutating func key(_ key: StaticString) {
        if !atFirstMember { text += "," }
        atFirstMember = false
        text += "\""
        text += key.description
        text += "\":"
    }

    mutating func object(_ key: StaticString, _ value: (some PayloadWritable)?) {
        guard let value else { return }
        self.key(key)
        object(value)
    }

    mutating func string(_ key: StaticString, _ value: String?) {
        guard let value else { return }
        self.key(key)
        quote(value)
    }

    mutating func strings(_ key: StaticString, _ values: [String]?) {
        guard let values else { return }
        self.key(key)
        text += "["
        for (index, value) in values.enumerated() {
            if index > 0 { text += "," }
            quote(value)
        }
        text += "]"
    }

    mutating func date(_ key: StaticString, _ value: Date?) {
        string(key, value.map(EventTimestamp.string(from:)))
    }

    mutating func uuid(_ key: StaticString, _ value: UUID) {
        string(key, value.uuidString)
    }

    mutating func enumeration(_ key: StaticString, _ value: some RawRepresentable<String>) {
        string(key, value.rawValue)
    }

    mutating func bool(_ key: StaticString, _ value: Bool) {
        self.key(key)
        text += value ? "true" : "false"
    }

    mutating func int64(_ key: StaticString, _ value: Int64?) {
        guard let value else { return }
        self.key(key)
        text += String(value)
    }

    /// As `JSONEncoder` writes a `Double`: integral values without a fraction (`90`, not `90.0`).
    mutating func double(_ key: StaticString, _ value: Double?) {
        guard let value else { return }
        self.key(key)
        var digits = value.description
        if digits.hasSuffix(".0") { digits.removeLast(2) }
        text += digits
    }

    /// `value` as a JSON string literal. Most text has nothing to escape: it is copied whole.
    private mutating func quote(_ value: String) {
        text += "\""
        if !value.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
            text += value
        } else {
            for scalar in value.unicodeScalars {
                switch scalar {
                case "\"": text += "\\\""
                case "\\": text += "\\\\"
                case "\n": text += "\\n"
                case "\r": text += "\\r"
                case "\t": text += "\\t"
                case "\u{8}": text += "\\b"
                case "\u{C}": text += "\\f"
                case _ where scalar.value < 0x20:
                    let hex = String(scalar.value, radix: 16)
                    text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                default: text.unicodeScalars.append(scalar)
                }
            }
        }
        text += "\""
    }
}

/// A payload that `PayloadWriter` writes: each writes the members its Codable conformance
/// writes, under the same keys, in sorted key order.
protocol PayloadWritable {
    func write(to writer: inout PayloadWriter)
}
