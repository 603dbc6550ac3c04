import Foundation

/// Reads an event's JSON payload straight from its UTF-8 bytes, member by member, for the
/// `init(reading:)` of each payload type: the one way stored article events are decoded.
///
/// Replay decodes millions of payloads, and `JSONDecoder` (a tree of values, then keyed
/// containers, then a closure for every date) cost it more than any other step of its own.
/// This reads exactly the JSON the encoder writes and anything else that is valid JSON (any
/// whitespace or member order, escapes, unknown members, which are skipped, `null` for an
/// absent optional); a payload is refused, with the same account `JSONDecoder` gave of it
/// (`missing content.title`, `at: expected ...`), when it is not valid JSON or lacks a member.
/// The tests hold it to the Codable conformances, which stay as the encoder's.
struct PayloadReader {
    /// Why a payload could not be read, in the words of `EventDecodingError.malformedPayload`.
    struct Failure: Error {
        let detail: String
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    /// The key being read in each object entered, outermost first ("" before its first member).
    private var path: [String] = []
    /// True right after `{`, where no comma comes before the member.
    private var atFirstMember = false

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Reads the whole of `text` with `read`; anything but whitespace after the value is refused.
    static func read<Value>(_ text: String, _ read: (inout PayloadReader) throws -> Value) throws -> Value {
        var text = text
        return try text.withUTF8 { bytes in
            var reader = PayloadReader(bytes: bytes)
            let value = try read(&reader)
            reader.skipWhitespace()
            guard reader.index == bytes.count else { throw reader.failure("unexpected text after the payload") }
            return value
        }
    }

    // MARK: Objects

    /// Consumes the `{` of an object, whose members `nextKey()` then reads.
    mutating func enterObject() throws {
        skipWhitespace()
        try expect(UInt8(ascii: "{"), "an object")
        path.append("")
        atFirstMember = true
    }

    /// The key of the object's next member, its value next to be read; nil (having consumed the
    /// `}`) after the last one.
    mutating func nextKey() throws -> String? {
        skipWhitespace()
        if !atFirstMember && next != UInt8(ascii: "}") {
            try expect(UInt8(ascii: ","), "a comma or the end of the object")
            // A comma before the `}`, which `JSONDecoder` lets pass too.
            skipWhitespace()
        }
        if next == UInt8(ascii: "}") {
            index += 1
            path.removeLast()
            atFirstMember = false
            return nil
        }
        atFirstMember = false
        let key = try string()
        skipWhitespace()
        try expect(UInt8(ascii: ":"), "a colon")
        path[path.count - 1] = key
        return key
    }

    /// The value read for a member of the object just left, or the failure `JSONDecoder` reports
    /// for a member that is not there.
    func required<Value>(_ value: Value?, _ key: String) throws -> Value {
        guard let value else {
            throw Failure(detail: "missing " + (path.filter { !$0.isEmpty } + [key]).joined(separator: "."))
        }
        return value
    }

    // MARK: Values

    /// Nil for `null`, else the value `read` reads: what `decodeIfPresent` made of a member.
    mutating func nullable<Value>(_ read: (inout PayloadReader) throws -> Value) throws -> Value? {
        skipWhitespace()
        return consume(Self.null) ? nil : try read(&self)
    }

    mutating func string() throws -> String {
        let (range, escaped) = try stringBytes()
        if escaped { return try unescaped(range) }
        // The payload is a String, so valid UTF-8, and so is every run of it between two quotes:
        // decoding repairs nothing (it is the fast, unspecialised way to copy the bytes out).
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    mutating func strings() throws -> [String] {
        skipWhitespace()
        try expect(UInt8(ascii: "["), "an array")
        var values: [String] = []
        skipWhitespace()
        if next == UInt8(ascii: "]") {
            index += 1
            return values
        }
        while true {
            values.append(try string())
            skipWhitespace()
            if next == UInt8(ascii: "]") {
                index += 1
                return values
            }
            try expect(UInt8(ascii: ","), "a comma or the end of the array")
        }
    }

    /// A timestamp as `EventTimestamp` writes it (any form `EventTimestamp.date(from:)` takes).
    mutating func date() throws -> Date {
        let start = index
        let (range, _) = try stringBytes()
        if let date = EventTimestamp.canonicalDate(UnsafeBufferPointer(rebasing: bytes[range])) {
            return date
        }
        index = start
        let text = try string()
        guard let date = EventTimestamp.date(from: text) else {
            throw failure("expected an ISO 8601 UTC timestamp like 2026-11-25T04:02:08.123Z, found \"\(text)\"")
        }
        return date
    }

    mutating func uuid() throws -> UUID {
        let text = try string()
        guard let uuid = UUID(uuidString: text) else {
            throw failure("Attempted to decode UUID from invalid UUID string.")
        }
        return uuid
    }

    mutating func enumeration<Value: RawRepresentable<String>>(_: Value.Type) throws -> Value {
        let text = try string()
        guard let value = Value(rawValue: text) else {
            throw failure("Cannot initialize \(Value.self) from invalid String value \(text)")
        }
        return value
    }

    mutating func bool() throws -> Bool {
        skipWhitespace()
        if consume(Self.true) { return true }
        if consume(Self.false) { return false }
        throw failure("expected a boolean, found \(found)")
    }

    mutating func double() throws -> Double {
        let text = try number()
        guard let value = Double(text) else { throw failure("the number \(text) is not a Double") }
        return value
    }

    /// An integer, written as one or as a number with an integral value (`3.0`, `3e0`).
    mutating func int64() throws -> Int64 {
        let text = try number()
        if let value = Int64(text) { return value }
        guard let value = Double(text), value.rounded() == value, let integer = Int64(exactly: value) else {
            throw failure("the number \(text) does not fit in Int64")
        }
        return integer
    }

    /// Skips a member this code does not read, whatever its value.
    mutating func skipValue() throws {
        skipWhitespace()
        switch next {
        case UInt8(ascii: "\""):
            _ = try stringBytes()
        case UInt8(ascii: "{"):
            try enterObject()
            while try nextKey() != nil { try skipValue() }
        case UInt8(ascii: "["):
            index += 1
            skipWhitespace()
            if next == UInt8(ascii: "]") {
                index += 1
                return
            }
            while true {
                try skipValue()
                skipWhitespace()
                if next == UInt8(ascii: "]") {
                    index += 1
                    return
                }
                try expect(UInt8(ascii: ","), "a comma or the end of the array")
            }
        case UInt8(ascii: "t"), UInt8(ascii: "f"): _ = try bool()
        case UInt8(ascii: "n"):
            guard consume(Self.null) else { throw failure("expected a value, found \(found)") }
        default: _ = try number()
        }
    }

    // MARK: Scanning

    private static let null = Array("null".utf8)
    private static let `true` = Array("true".utf8)
    private static let `false` = Array("false".utf8)

    /// The byte at the reading position; 0 at the end, which no valid JSON has there.
    private var next: UInt8 { index < bytes.count ? bytes[index] : 0 }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    /// Consumes `literal` if it is next.
    private mutating func consume(_ literal: [UInt8]) -> Bool {
        guard bytes[index...].starts(with: literal) else { return false }
        index += literal.count
        return true
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws {
        guard next == byte else { throw failure("expected \(what), found \(found)") }
        index += 1
    }

    /// The bytes between the quotes of a string, which it consumes, and whether they hold escapes.
    private mutating func stringBytes() throws -> (Range<Int>, escaped: Bool) {
        skipWhitespace()
        try expect(UInt8(ascii: "\""), "a string")
        let start = index
        var escaped = false
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                index += 1
                return (start..<index - 1, escaped)
            case UInt8(ascii: "\\"):
                escaped = true
                index += 2
            case 0..<0x20:
                throw failure("a string holds an unescaped control character")
            default:
                index += 1
            }
        }
        throw failure("a string is not terminated")
    }

    /// The text of a string's bytes with escapes (valid UTF-8 once resolved: a lone surrogate is refused).
    private func unescaped(_ range: Range<Int>) throws -> String {
        var output: [UInt8] = []
        output.reserveCapacity(range.count)
        var at = range.lowerBound
        func hex4() throws -> UInt32 {
            guard at + 4 <= range.upperBound else { throw failure("a string has an invalid \\u escape") }
            var value: UInt32 = 0
            for byte in bytes[at..<at + 4] {
                guard let digit = Character(Unicode.Scalar(byte)).hexDigitValue else {
                    throw failure("a string has an invalid \\u escape")
                }
                value = value << 4 | UInt32(digit)
            }
            at += 4
            return value
        }
        while at < range.upperBound {
            let byte = bytes[at]
            at += 1
            guard byte == UInt8(ascii: "\\") else {
                output.append(byte)
                continue
            }
            let escape = bytes[at]
            at += 1
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(escape)
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                var value = try hex4()
                if (0xD800..<0xDC00).contains(value) {
                    // A high surrogate: its low half must follow, as another escape.
                    guard at + 1 < range.upperBound, bytes[at] == UInt8(ascii: "\\"), bytes[at + 1] == UInt8(ascii: "u")
                    else { throw failure("a string has an unpaired surrogate") }
                    at += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw failure("a string has an unpaired surrogate") }
                    value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(value) else { throw failure("a string has an unpaired surrogate") }
                output.append(contentsOf: UTF8.encode(scalar)!)
            default:
                throw failure("a string has an invalid escape")
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// A number's text, checked against JSON's grammar.
    private mutating func number() throws -> String {
        skipWhitespace()
        let start = index
        func digits() -> Int {
            let first = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            return index - first
        }
        if next == UInt8(ascii: "-") { index += 1 }
        let integerStart = index
        let integerDigits = digits()
        var valid = integerDigits > 0 && (integerDigits == 1 || bytes[integerStart] != UInt8(ascii: "0"))
        if valid && next == UInt8(ascii: ".") {
            index += 1
            valid = digits() > 0
        }
        if valid && (next == UInt8(ascii: "e") || next == UInt8(ascii: "E")) {
            index += 1
            if next == UInt8(ascii: "+") || next == UInt8(ascii: "-") { index += 1 }
            valid = digits() > 0
        }
        guard valid else {
            index = start
            throw failure("expected a number, found \(found)")
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    }

    /// What is at the reading position, for a failure: the payload itself is never echoed.
    private var found: String {
        switch next {
        case 0: "the end of the payload"
        case UInt8(ascii: "\""): "a string"
        case UInt8(ascii: "{"): "an object"
        case UInt8(ascii: "["): "an array"
        case UInt8(ascii: "n"): "null"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): "a boolean"
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): "a number"
        default: "something that is not JSON"
        }
    }

    /// A failure at the member being read (`content.title: ...`; `the payload: ...` outside any).
    private func failure(_ message: String) -> Failure {
        let keys = path.filter { !$0.isEmpty }
        return Failure(detail: (keys.isEmpty ? "the payload" : keys.joined(separator: ".")) + ": " + message)
    }
}
