import Foundation
import Timestamps

/// Rows in the text format of `COPY ... FROM STDIN`, built field by field without per-row SQL.
///
/// Fields are tab-separated and rows end with a newline; backslash, tab, newline and carriage
/// return are escaped, `\N` is NULL. Arrays are written as array literals, times in ISO 8601 form.
public struct CopyRows: Sendable {
    public private(set) var bytes: [UInt8] = []
    private var atRowStart = true

    public init() {}

    /// Rows already in COPY text form (read back with `COPY ... TO STDOUT`, say), whole rows each
    /// ending with a newline.
    package init(copyText bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// True when no row has been added.
    public var isEmpty: Bool { bytes.isEmpty }

    public mutating func add(_ value: String?) {
        separate()
        guard var value else { return appendNull() }
        value.withUTF8 { utf8 in
            // Most text needs no escaping: copy it whole.
            if !utf8.contains(where: Self.needsEscape) {
                bytes.append(contentsOf: utf8)
            } else {
                for byte in utf8 { appendEscaped(byte) }
            }
        }
    }

    public mutating func add(_ value: Int64?) {
        separate()
        guard let value else { return appendNull() }
        bytes.append(contentsOf: String(value).utf8)
    }

    public mutating func add(_ value: Bool) {
        separate()
        bytes.append(value ? UInt8(ascii: "t") : UInt8(ascii: "f"))
    }

    public mutating func add(_ value: UUID) {
        separate()
        bytes.append(contentsOf: value.postgresText.utf8)
    }

    public mutating func add(_ value: Date?) {
        separate()
        guard let value else { return appendNull() }
        Timestamp.append(value, .microseconds, to: &bytes)
    }

    /// A `text[]` value: each element double-quoted, with `"` and `\` escaped inside the literal.
    public mutating func add(_ value: [String]?) {
        separate()
        guard let value else { return appendNull() }
        bytes.append(UInt8(ascii: "{"))
        for (index, element) in value.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(UInt8(ascii: "\""))
            for byte in element.utf8 {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { appendEscaped(UInt8(ascii: "\\")) }
                appendEscaped(byte)
            }
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(UInt8(ascii: "}"))
    }

    /// Ends the current row.
    public mutating func endRow() {
        bytes.append(UInt8(ascii: "\n"))
        atRowStart = true
    }

    private mutating func separate() {
        if !atRowStart { bytes.append(UInt8(ascii: "\t")) }
        atRowStart = false
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
            || byte == UInt8(ascii: "\r")
    }

    private mutating func appendNull() {
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(UInt8(ascii: "N"))
    }

    private mutating func appendEscaped(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "\t"): bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "t"))
        case UInt8(ascii: "\n"): bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "n"))
        case UInt8(ascii: "\r"): bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "r"))
        default: bytes.append(byte)
        }
    }
}
