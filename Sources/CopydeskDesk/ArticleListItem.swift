import Copydesk
import Editorial
import Foundation

/// One article in a list of the desk: a link with its title, state, section, author and last change.
struct ArticleListItem {
    let id: String
    let title: String
    let titleLang: String
    let state: String
    /// Nil when the article has no section (templates take an empty string as true).
    let section: String?
    let author: String
    let isLive: Bool
    let pendingRevision: Bool
    let updated: ReaderZone.Shown

    init(_ summary: ArticleSummary, zone: ReaderZone) {
        id = summary.id.lowercased
        title = summary.title
        titleLang = TextLanguage.guess(summary.title)
        state = summary.state
        section = summary.section.isEmpty ? nil : summary.section
        author = summary.author
        isLive = summary.isLive
        pendingRevision = summary.pendingRevision
        updated = zone.show(summary.updatedAt)
    }

    init(_ article: Article, zone: ReaderZone) {
        id = article.id.lowercased
        title = article.content.title
        titleLang = TextLanguage.guess(article.content.title)
        state = article.status.rawValue
        section = article.content.section.isEmpty ? nil : article.content.section
        author = article.author
        isLive = article.isLive
        pendingRevision = article.pendingRevision
        updated = zone.show(article.updatedAt)
    }

    /// The item as a row of a list; `article-item` in the desk's tests and scripts finds it.
    var html: HTMLFragment {
        let live: HTMLFragment = isLive ? #" <span class="badge live">live</span>"# : .empty
        let pending: HTMLFragment = pendingRevision ? #" <span class="badge pending">pending revision</span>"# : .empty
        let section: HTMLFragment = self.section.map { "· \($0) " } ?? .empty
        return """
            <li data-article-id="\(id)" class="article-item">
              <a class="article-link" href="/desk/articles/\(id)" lang="\(titleLang)">\(title)</a>
              <span class="meta"><span class="badge state-\(state)">\(state)</span>\(live)\(pending)
              \(section)· \(author) · \(updated.html)</span>
            </li>

            """
    }

    /// Rows of a list, for a template's `{{{name}}}`.
    static func html(_ items: some Sequence<ArticleListItem>) -> HTMLFragment {
        HTMLFragment(joining: items.lazy.map(\.html))
    }
}
