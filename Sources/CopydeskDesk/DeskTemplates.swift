import Foundation
import Hummingbird
import Mustache

/// The desk's Mustache templates, read once from the target's resources (`Templates/`).
///
/// Mustache escapes every `{{value}}` for HTML, so article text, names and reasons are always
/// shown as text, never read as markup. The only triple braces show the article lists, built as
/// `HTMLFragment`s, which escape every value they hold in the same way. Each template names the
/// desk's escaping first (`DeskHTMLEscaping`, the same characters as swift-mustache's, faster).
struct DeskTemplates: Sendable {
    let library: MustacheLibrary

    /// The templates shipped with the desk; a missing or malformed one is a build mistake, so it stops here.
    static let shipped: DeskTemplates = {
        guard let directory = Bundle.module.resourceURL?.appendingPathComponent("Templates"),
            let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path)
        else { fatalError("the desk's templates are missing from the bundle") }
        DeskHTMLEscaping.register()
        var library = MustacheLibrary()
        for name in names where name.hasSuffix(".mustache") {
            do {
                let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
                try library.register(text, named: String(name.dropLast(".mustache".count)))
            } catch {
                fatalError("desk template \(name) cannot be read: \(error)")
            }
        }
        return DeskTemplates(library: library)
    }()

    /// The page `template` shows for `model`, as an HTML response that no cache keeps.
    func page(_ template: String, _ model: Any, status: HTTPResponse.Status = .ok) -> Response {
        guard let html = library.render(model, withTemplate: template) else {
            return Response(
                status: .internalServerError, headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: "The page template \(template) is missing.")))
        }
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// A plain page saying why a request could not be served (403, 404, 429, 500...).
    func message(
        _ status: HTTPResponse.Status, title: String, text: String, chrome: PageChrome, id: String = "error-page"
    )
        -> Response
    {
        page("message", MessagePage(page: chrome, heading: title, text: text, id: id), status: status)
    }

    /// 303 See Other to `location` (after a POST, so that reloading does not send it again).
    static func redirect(_ location: String, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.location] = location
        fields[.cacheControl] = "no-store"
        return Response(status: .seeOther, headers: fields)
    }
}
