/// One-dimensional arrays (`text[]`, `bigint[]`, ...) in PostgreSQL's text format: `{a,"b c",NULL}`.
///
/// Every element is quoted on the way out, so commas, quotes, braces and backslashes in values
/// are data; NULL elements are not supported in either direction.
extension Array: PostgresEncodable where Element: PostgresEncodable {
    public var postgresText: String {
        var text = "{"
        for (index, element) in enumerated() {
            if index > 0 { text += "," }
            text += "\""
            for character in element.postgresText {
                if character == "\"" || character == "\\" { text += "\\" }
                text.append(character)
            }
            text += "\""
        }
        return text + "}"
    }
}

extension Array: PostgresDecodable where Element: PostgresDecodable {
    public init?(postgresText: String) {
        guard let elements = PostgresArrayText.split(postgresText) else { return nil }
        var values: [Element] = []
        values.reserveCapacity(elements.count)
        for element in elements {
            guard let element, let value = Element(postgresText: element) else { return nil }
            values.append(value)
        }
        self = values
    }
}

enum PostgresArrayText {
    /// The elements of a one-dimensional array literal; nil elements are SQL NULLs.
    static func split(_ text: String) -> [String?]? {
        var characters = text.makeIterator()
        guard characters.next() == "{" else { return nil }
        var elements: [String?] = []
        var current = ""
        var quoted = false
        var wasQuoted = false
        var atEnd = false
        while let character = characters.next() {
            if quoted {
                switch character {
                case "\\": guard let escaped = characters.next() else { return nil }; current.append(escaped)
                case "\"": quoted = false
                default: current.append(character)
                }
                continue
            }
            switch character {
            case "\"":
                quoted = true
                wasQuoted = true
            case ",", "}":
                if character == "}" && elements.isEmpty && current.isEmpty && !wasQuoted {
                    atEnd = true
                    break
                }
                elements.append(!wasQuoted && current == "NULL" ? nil : current)
                current = ""
                wasQuoted = false
                if character == "}" { atEnd = true }
            default:
                current.append(character)
            }
            if atEnd { break }
        }
        guard atEnd, characters.next() == nil else { return nil }
        return elements
    }
}
