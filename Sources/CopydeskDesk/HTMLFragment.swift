import Mustache

/// Markup written in Swift for the rows a page repeats dozens of times (the desk's article lists),
/// where a Mustache partial cost more than the rest of the page: swift-mustache looks every
/// `{{name}}` up through dynamic casts, about twenty per row.
///
/// Safe by construction, like a template: the literal parts of a fragment are markup, and every
/// value interpolated into it is escaped with the templates' own `DeskHTMLEscaping`, unless it
/// is itself a fragment. A template shows a fragment with triple braces (`{{{items}}}`), the only
/// triple braces in the desk's templates; anything else given to them would not be escaped.
struct HTMLFragment: ExpressibleByStringInterpolation, MustacheCustomRenderable {
    private(set) var renderText: String
    var isNull: Bool { false }

    static let empty = HTMLFragment(markup: "")

    private init(markup: String) { renderText = markup }

    init(stringLiteral markup: String) { renderText = markup }

    init(stringInterpolation: StringInterpolation) { renderText = stringInterpolation.markup }

    /// The fragments one after another, e.g. the rows of a list.
    init(joining fragments: some Sequence<HTMLFragment>) {
        renderText = fragments.reduce(into: "") { $0 += $1.renderText }
    }

    struct StringInterpolation: StringInterpolationProtocol {
        fileprivate var markup = ""

        init(literalCapacity: Int, interpolationCount: Int) {
            markup.reserveCapacity(literalCapacity + 24 * interpolationCount)
        }

        /// The literal text between interpolations: markup written in the source.
        mutating func appendLiteral(_ literal: String) { markup += literal }

        /// A value: text, escaped.
        mutating func appendInterpolation(_ text: String) { markup += DeskHTMLEscaping().escapeText(text) }

        /// Markup built the same way, kept as it is.
        mutating func appendInterpolation(_ fragment: HTMLFragment) { markup += fragment.renderText }
    }
}
