import Mustache

/// The HTML escaping of every `{{value}}` in the desk's templates, which name it first thing
/// (`{{% CONTENT_TYPE: DeskHTML }}`; a template that does not gets swift-mustache's own).
///
/// The same five characters as swift-mustache's HTML escaping (`< > & " '`), found in the UTF-8
/// bytes instead of looked up Character by Character in a dictionary, and a text without any of
/// them (most titles, names and times) returned as it is. The library's escaping was a fifth of a
/// queue page's CPU time. Every byte of those characters is ASCII and no byte of a multi-byte UTF-8
/// sequence is, so escaping bytes escapes exactly those characters.
struct DeskHTMLEscaping: MustacheContentType {
    /// The name templates give it in their `CONTENT_TYPE` pragma.
    static let name = "DeskHTML"

    /// Registers it with swift-mustache under `name`; templates naming it can be parsed after this.
    static func register() {
        MustacheContentTypes.register(DeskHTMLEscaping(), named: name)
    }

    func escapeText(_ text: String) -> String {
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.contains(where: Self.isSpecial) else { return nil }
            var escaped: [UInt8] = []
            escaped.reserveCapacity(bytes.count + 32)
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "<"): escaped.append(contentsOf: "&lt;".utf8)
                case UInt8(ascii: ">"): escaped.append(contentsOf: "&gt;".utf8)
                case UInt8(ascii: "&"): escaped.append(contentsOf: "&amp;".utf8)
                case UInt8(ascii: "\""): escaped.append(contentsOf: "&quot;".utf8)
                case UInt8(ascii: "'"): escaped.append(contentsOf: "&#39;".utf8)
                default: escaped.append(byte)
                }
            }
            return String(decoding: escaped, as: UTF8.self)
        } ?? text
    }

    private static func isSpecial(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "&")
            || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
    }
}
