/// Builds JSON text by hand where re-encoding would cost (event data is already JSON): the
/// documents sent to `append_events`, the feed's JSON lines.
public enum JSONText {
    /// `text` as a JSON string literal, quotes included.
    public static func quoted(_ text: String) -> String {
        // Most text has nothing to escape (no control character, quote, backslash or U+2028/9,
        // whose UTF-8 starts with 0xE2): copy it whole.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0xE2 }) {
            return "\"" + text + "\""
        }
        var output = "\""
        output.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            // U+2028/2029 are valid in JSON but end lines in JavaScript and some line readers.
            case "\u{2028}": output += "\\u2028"
            case "\u{2029}": output += "\\u2029"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
        return output
    }
}

extension JSONText {
    /// Whether `text` is exactly one JSON value (RFC 8259) that PostgreSQL's `jsonb` takes, with
    /// nothing but whitespace around it.
    ///
    /// Event data is embedded as is in the document sent to `append_events`, so it must be one
    /// whole value. This checks the syntax in one pass over the bytes and builds nothing: parsing
    /// the data into objects only to throw them away was a tenth of a command's own time.
    public static func isValue(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var scanner = SyntaxScanner(bytes: bytes)
            return scanner.value(depth: 0) && scanner.isAtEndAfterWhitespace()
        }
    }

    /// A recursive-descent check of JSON syntax over UTF-8 bytes (which Swift strings keep valid).
    private struct SyntaxScanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        /// Nesting deeper than this is refused rather than risking the stack.
        static let maximumDepth = 512

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        mutating func isAtEndAfterWhitespace() -> Bool {
            skipWhitespace()
            return index == bytes.count
        }

        mutating func value(depth: Int) -> Bool {
            skipWhitespace()
            guard let byte = peek() else { return false }
            switch byte {
            case UInt8(ascii: "{"): return depth < Self.maximumDepth && object(depth: depth + 1)
            case UInt8(ascii: "["): return depth < Self.maximumDepth && array(depth: depth + 1)
            case UInt8(ascii: "\""): return string()
            case UInt8(ascii: "t"): return literal("true")
            case UInt8(ascii: "f"): return literal("false")
            case UInt8(ascii: "n"): return literal("null")
            default: return number()
            }
        }

        private mutating func object(depth: Int) -> Bool {
            index += 1  // {
            skipWhitespace()
            if consume(UInt8(ascii: "}")) { return true }
            while true {
                skipWhitespace()
                guard peek() == UInt8(ascii: "\""), string() else { return false }
                skipWhitespace()
                guard consume(UInt8(ascii: ":")), value(depth: depth) else { return false }
                skipWhitespace()
                if consume(UInt8(ascii: "}")) { return true }
                guard consume(UInt8(ascii: ",")) else { return false }
            }
        }

        private mutating func array(depth: Int) -> Bool {
            index += 1  // [
            skipWhitespace()
            if consume(UInt8(ascii: "]")) { return true }
            while true {
                guard value(depth: depth) else { return false }
                skipWhitespace()
                if consume(UInt8(ascii: "]")) { return true }
                guard consume(UInt8(ascii: ",")) else { return false }
            }
        }

        private mutating func string() -> Bool {
            index += 1  // "
            while let byte = peek() {
                index += 1
                switch byte {
                case UInt8(ascii: "\""): return true
                case UInt8(ascii: "\\"): guard escape() else { return false }
                case ..<0x20: return false  // control characters must be escaped
                default: continue
                }
            }
            return false  // unterminated
        }

        /// The rest of an escape after its backslash. `jsonb` refuses \u0000, and a \u escape of
        /// a UTF-16 surrogate that does not come as a pair, high then low.
        private mutating func escape() -> Bool {
            guard let byte = peek() else { return false }
            index += 1
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                return true
            case UInt8(ascii: "u"):
                guard let unit = hexUnit() else { return false }
                switch unit {
                case 0xD800...0xDBFF:
                    guard consume(UInt8(ascii: "\\")), consume(UInt8(ascii: "u")), let low = hexUnit() else { return false }
                    return (0xDC00...0xDFFF).contains(low)
                case 0xDC00...0xDFFF, 0: return false
                default: return true
                }
            default: return false
            }
        }

        private mutating func hexUnit() -> UInt16? {
            guard index + 4 <= bytes.count else { return nil }
            var unit: UInt16 = 0
            for _ in 0..<4 {
                let byte = bytes[index]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: return nil
                }
                unit = unit << 4 | UInt16(digit)
                index += 1
            }
            return unit
        }

        /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
        private mutating func number() -> Bool {
            _ = consume(UInt8(ascii: "-"))
            if consume(UInt8(ascii: "0")) {
                // no leading zeros
            } else {
                guard let first = peek(), (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(first) else { return false }
                skipDigits()
            }
            if consume(UInt8(ascii: ".")) {
                guard skipDigits() else { return false }
            }
            if consume(UInt8(ascii: "e")) || consume(UInt8(ascii: "E")) {
                if !consume(UInt8(ascii: "+")) { _ = consume(UInt8(ascii: "-")) }
                guard skipDigits() else { return false }
            }
            return true
        }

        /// Skips digits; false when there were none.
        @discardableResult
        private mutating func skipDigits() -> Bool {
            let start = index
            while let byte = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { index += 1 }
            return index > start
        }

        private mutating func literal(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard index + count <= bytes.count else { return false }
            for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { return false }
            index += count
            return true
        }

        private mutating func skipWhitespace() {
            while let byte = peek(),
                byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
                    || byte == UInt8(ascii: "\t")
            {
                index += 1
            }
        }

        private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

        private mutating func consume(_ byte: UInt8) -> Bool {
            guard peek() == byte else { return false }
            index += 1
            return true
        }
    }
}
