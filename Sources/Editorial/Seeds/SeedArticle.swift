import Foundation

/// One article read from a seed file, every character kept as it was in the file.
///
/// The format (UTF-8, `\n` line ends, one article per file):
/// ```
/// <title>
/// <blank line>
/// <section> >> <DD.MM.YYYY>
/// <title again>
/// <lead paragraph>
/// <blank line>
/// <body paragraphs separated by blank lines>
/// ```
public struct SeedArticle: Sendable, Hashable {
    /// The headline (line 1, repeated on line 4).
    public var title: String
    /// The section named on line 3, before ` >> `.
    public var section: String
    /// The lead paragraph (line 5).
    public var lead: String
    /// Everything after the blank line that follows the lead, byte for byte (a final newline, if any, included).
    public var body: String
    /// The date from line 3 as ISO `yyyy-mm-dd`.
    public var originalDate: String

    /// Creates a seed article.
    public init(title: String, section: String, lead: String, body: String, originalDate: String) {
        self.title = title
        self.section = section
        self.lead = lead
        self.body = body
        self.originalDate = originalDate
    }

    /// The article's content for a draft command; seed files carry no tags.
    public var content: ArticleContent {
        ArticleContent(title: title, lead: lead, body: body, section: section, tags: [])
    }
}
