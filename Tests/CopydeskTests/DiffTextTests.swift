import Copydesk
import Editorial
import Foundation
import Testing

@testable import copydesk

@Suite("copydesk diff's text for people: labels, folds, colours, line breaks, rewrites")
struct DiffTextTests {
    static let id = UUID(uuidString: "5F9BF97B-76E6-1B5F-0000-000000000000")!

    static func diff(_ old: ArticleContent, _ new: ArticleContent) -> ArticleDiff {
        ArticleDiff(id: id, from: 1, to: 2, old: old, new: new)
    }

    @Test("each changed field is labelled; a fix deep in the body shows a few words around it, not the body")
    func labelsAndFolds() {
        let paragraph = String(repeating: "Текст абзаца, который не менялся. ", count: 40)
        let old = ArticleContent(title: "Консул", body: paragraph + "\n\nАсхад Сыздыков сказал о своей готовности.\n\n" + paragraph)
        var new = old
        new.body = old.body.replacingOccurrences(of: "Асхад", with: "Асхат")
        let text = DiffText(colored: false, context: 3).render(Self.diff(old, new))
        #expect(text == """
            article 5f9bf97b-76e6-1b5f-0000-000000000000: version 1 → version 2

            body:
            …
            [-Асхад-]{+Асхат+} Сыздыков сказал о
            …

            unchanged: title, lead, section, tags
            """)
        let full = DiffText(colored: false, context: nil).render(Self.diff(old, new))
        #expect(full.contains(paragraph + "\n\n[-Асхад-]{+Асхат+} Сыздыков сказал о своей готовности.\n\n" + paragraph))
    }

    @Test("on a terminal removed words are red and struck through, added ones green; nothing else is an escape")
    func colours() {
        let text = DiffText(colored: true, context: 5).render(
            Self.diff(ArticleContent(title: "Harbour reopens"), ArticleContent(title: "Harbour reopened")))
        #expect(text.contains("title:\nHarbour \u{1B}[31;9mreopens\u{1B}[0m\u{1B}[32mreopened\u{1B}[0m"))
        let hostile = DiffText(colored: true, context: 5).render(
            Self.diff(ArticleContent(title: "T"), ArticleContent(title: "T \u{1B}[2J")))
        #expect(hostile.contains(#"\e[2J"#) && !hostile.contains("\u{1B}[2J"))
    }

    @Test("a line break added or removed shows as ↵ and breaks no line of the output")
    func lineBreaks() {
        let added = DiffText(colored: false, context: 5).render(
            Self.diff(ArticleContent(title: "T", body: "Один абзац."), ArticleContent(title: "T", body: "Один абзац.\n")))
        #expect(added.contains("body:\nОдин абзац.{+↵+}\n"), "\(added)")
        let removed = DiffText(colored: false, context: 5).render(
            Self.diff(ArticleContent(title: "T", body: "Раз.\n\nДва."), ArticleContent(title: "T", body: "Раз. Два.")))
        #expect(removed.contains("body:\nРаз.[-↵↵-]{+ +}Два."), "\(removed)")
        // A backslash and an n that the author typed stay what they are.
        let typed = DiffText(colored: false, context: 5).render(
            Self.diff(ArticleContent(title: "a"), ArticleContent(title: #"a \n"#)))
        #expect(typed.contains(#"{+ \n+}"#))
    }

    @Test("a headline rewritten for the most part reads as was / now, not as word pairs")
    func wasNow() {
        let text = DiffText(colored: false, context: 5).render(Self.diff(
            ArticleContent(title: "Консул посетил Волгоград", lead: "Коротко."),
            ArticleContent(title: "Волгоград принял гостей из Казахстана", lead: "Совсем иначе и длиннее.")))
        #expect(text.contains("title, rewritten:\nwas: [-Консул посетил Волгоград-]\nnow: {+Волгоград принял гостей из Казахстана+}"))
        #expect(text.contains("lead, rewritten:\nwas:\n[-Коротко.-]\nnow:\n{+Совсем иначе и длиннее.+}"))
    }
}
