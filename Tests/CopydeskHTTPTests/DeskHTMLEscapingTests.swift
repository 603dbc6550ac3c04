@testable import CopydeskDesk
import Foundation
import Testing

/// The desk's own HTML escaping escapes what swift-mustache's does, byte for byte.
@Suite("Desk HTML escaping")
struct DeskHTMLEscapingTests {
    @Test("the five characters are escaped, everything else is kept as it is, Cyrillic included")
    func escapes() {
        let escaping = DeskHTMLEscaping()
        #expect(
            escaping.escapeText(#"<script>alert("x" & 'y')</script>"#)
                == "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;")
        #expect(escaping.escapeText("Асхат <b>Сыздыков</b> ☕") == "Асхат &lt;b&gt;Сыздыков&lt;/b&gt; ☕")
        #expect(escaping.escapeText("Волгоградская область") == "Волгоградская область")
        #expect(escaping.escapeText("") == "")
    }

    @Test("a combining mark after < does not hide it (swift-mustache's escaping compares whole Characters)")
    func combiningMark() {
        #expect(DeskHTMLEscaping().escapeText("<\u{338}script>") == "&lt;\u{338}script&gt;")
    }

    @Test("every template of the desk names the desk's escaping on its first line")
    func templatesNameIt() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/CopydeskDesk/Templates")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".mustache") }
        #expect(!names.isEmpty)
        for name in names {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            #expect(text.hasPrefix("{{% CONTENT_TYPE: \(DeskHTMLEscaping.name) }}\n"), "\(name)")
        }
    }
}

/// The article lists are markup built in Swift (`HTMLFragment`): their values are escaped as the
/// templates' are, and templates show nothing else unescaped.
@Suite("Desk HTML fragments")
struct HTMLFragmentTests {
    @Test("a value interpolated into a fragment is escaped; the fragment's own markup and nested fragments are not")
    func escapesValues() {
        let title = #"<script>alert("x")</script>"#
        let inner: HTMLFragment = "<em>\(title)</em>"
        let outer: HTMLFragment = #"<a title="\#(title)">\#(inner)</a>"#
        #expect(inner.renderText == "<em>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</em>")
        #expect(
            outer.renderText
                == #"<a title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"><em>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</em></a>"#)
    }

    @Test("triple braces in the templates show only the article lists, which are HTMLFragments")
    func tripleBracesAreFragments() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/CopydeskDesk/Templates")
        var unescaped: Set<String> = []
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".mustache") {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            for piece in text.components(separatedBy: "{{{").dropFirst() {
                unescaped.insert("\(name): \(piece.prefix { $0 != "}" })")
            }
            #expect(!text.contains("{{&"), "\(name) shows a value unescaped with {{& }}")
        }
        // Each of these is declared as an HTMLFragment in its page model (QueuePage, ImportPage).
        #expect(unescaped == ["queue.mustache: yourTurnHTML", "queue.mustache: resultsHTML", "import.mustache: created"])
    }
}

/// Times on the desk's pages, in the reader's zone with UTC beside.
@Suite("Reader zone")
struct ReaderZoneTests {
    private let winter = Date(timeIntervalSince1970: 1_796_119_199.999)  // 2026-12-01T09:59:59.999Z
    private let summer = Date(timeIntervalSince1970: 1_783_069_200)  // 2026-07-03T09:00:00Z

    @Test("a time is shown to the minute it lies in, in the reader's zone and in UTC, with the zone's summer time")
    func localAndUTC() {
        let berlin = ReaderZone(identifier: "Europe/Berlin")
        #expect(berlin.show(winter).local == "2026-12-01 10:59 \(berlin.zone.abbreviation(for: winter) ?? "")")
        #expect(berlin.show(winter).utc == "2026-12-01 09:59 UTC")
        #expect(berlin.show(winter).iso == "2026-12-01T09:59:59.999Z")
        #expect(berlin.show(summer).local.hasPrefix("2026-07-03 11:00 "))
        let moscow = ReaderZone(identifier: "Europe/Moscow")
        #expect(moscow.show(winter).local.hasPrefix("2026-12-01 12:59 "))
    }

    @Test("without a zone, or with one that is not a plausible IANA name, times are in UTC")
    func utcByDefault() {
        for identifier in [nil, "", "Mars/Olympus_Mons", "<script>"] {
            let shown = ReaderZone(identifier: identifier).show(winter)
            #expect(shown.local == "2026-12-01 09:59 UTC")
            #expect(shown.utc == shown.local)
        }
    }
}
