/// A documented maximum for one field of a command's input, checked by the decider so that every path (CLI, HTTP,
/// import) meets the same limits.
///
/// Lengths count Unicode code points (as JSON Schema's `maxLength` and PostgreSQL's `char_length` do), not grapheme
/// clusters: a "character" built of thousands of combining marks must not slip through as one. The limits are far
/// above anything a newsroom writes; they keep a hostile or broken client from storing megabytes in a headline.
/// They apply to commands only: events recorded before a limit existed still replay.
public struct InputLimit: Sendable, Hashable, CustomStringConvertible {
    /// The field's name as refusals, the CLI and the API name it: "title", "tags", "reason".
    public let field: String
    /// The largest accepted length (code points) or count (tags).
    public let maximum: Int
    /// True when `maximum` counts items (tags) rather than characters.
    public let countsItems: Bool

    /// The headline.
    public static let title = InputLimit(field: "title", maximum: 1_000, countsItems: false)
    /// The lead paragraph.
    public static let lead = InputLimit(field: "lead", maximum: 5_000, countsItems: false)
    /// The body: a long read is under 200,000 characters; HTTP's request size limit may refuse a body sooner.
    public static let body = InputLimit(field: "body", maximum: 1_000_000, countsItems: false)
    /// The section.
    public static let section = InputLimit(field: "section", maximum: 100, countsItems: false)
    /// Each tag, as sent (before trimming).
    public static let tag = InputLimit(field: "tag", maximum: 100, countsItems: false)
    /// The number of tags, as sent (before duplicates are removed).
    public static let tags = InputLimit(field: "tags", maximum: 50, countsItems: true)
    /// A reason (request changes, unpublish).
    public static let reason = InputLimit(field: "reason", maximum: 10_000, countsItems: false)
    /// A note (edit, approve).
    public static let note = InputLimit(field: "note", maximum: 10_000, countsItems: false)
    /// A comment's text.
    public static let comment = InputLimit(field: "comment", maximum: 10_000, countsItems: false)

    /// Every limit, in the order README lists them.
    public static let all: [InputLimit] = [.title, .lead, .body, .section, .tag, .tags, .reason, .note, .comment]

    /// "the title may have at most 1000 characters", "at most 50 tags".
    public var description: String {
        countsItems ? "at most \(maximum) \(field)" : "the \(field) may have at most \(maximum) characters"
    }

    /// True when `text` is longer than this limit allows.
    func isExceeded(by text: String) -> Bool {
        text.unicodeScalars.count > maximum
    }
}
