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
