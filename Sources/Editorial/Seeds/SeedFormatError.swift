/// Why a seed file does not fit the seed text format, pointing at the line to fix.
public struct SeedFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The 1-based line where the file stops fitting the format.
    public var line: Int
    /// What was expected there and what was found.
    public var message: String

    /// Creates a format error.
    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    /// `line N: message`; callers prefix the file name.
    public var description: String {
        "line \(line): \(message)"
    }
}
