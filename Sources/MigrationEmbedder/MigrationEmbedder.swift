import Foundation

/// Writes a Swift source file that holds every migration given, byte for byte, so that `copydesk`
/// carries its migrations inside the binary (run by the EmbeddedMigrations build plugin).
///
/// Usage: MigrationEmbedder OUTPUT.swift FILE.sql...
@main
struct MigrationEmbedder {
    static func main() throws {
        let arguments = CommandLine.arguments.dropFirst()
        guard let output = arguments.first else {
            FileHandle.standardError.write(Data("usage: MigrationEmbedder OUTPUT.swift FILE.sql...\n".utf8))
            exit(64)
        }
        let files = arguments.dropFirst().map { URL(fileURLWithPath: $0) }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        var source = """
            // Generated at build time by MigrationEmbedder from sql/*.sql: edit those files, not this one.

            /// Every file of `sql/` when this binary was built: its name and its text, byte for byte.
            let embeddedMigrationFiles: [(name: String, sql: String)] = [

            """
        for file in files {
            let bytes = try Data(contentsOf: file)
            guard let text = String(validating: bytes, as: UTF8.self) else {
                FileHandle.standardError.write(Data("error: \(file.path) is not UTF-8 text\n".utf8))
                exit(1)
            }
            source += "    (\(literal(file.lastPathComponent)), \(literal(text))),\n"
        }
        source += "]\n"
        try Data(source.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
    }

    /// A one-line Swift string literal whose value is exactly `text`.
    static func literal(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                result += "\\u{\(String(scalar.value, radix: 16))}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
