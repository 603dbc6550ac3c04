import Copydesk
import Foundation
import Hummingbird

/// Uploading seed-format files: each becomes a draft through the importer, with its rules and
/// messages (a file that does not fit is named, with its line, and writes nothing).
struct ImportController<Context: DeskRequestContext> {
    let desk: Desk<Context>

    /// The model of `import.mustache`.
    struct ImportPage {
        let page: PageChrome
        let created: HTMLFragment
        let errors: [String]
        /// Stored, not computed: templates see stored properties only.
        let hasCreated: Bool

        init(page: PageChrome, created: [ArticleListItem], errors: [String]) {
            self.page = page
            self.created = ArticleListItem.html(created)
            self.errors = errors
            hasCreated = !created.isEmpty
        }
    }

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("import") { _, context in
            let user = try Desk<Context>.user(context)
            return desk.templates.page(
                "import", ImportPage(page: desk.chrome("Import", user), created: [], errors: []))
        }
        group.post("import") { request, context in try await upload(request, context) }
    }

    private func upload(_ request: Request, _ context: Context) async throws -> Response {
        let user = try Desk<Context>.user(context)
        let files = try Desk<Context>.form(context).files["files"] ?? []
        guard !files.isEmpty else {
            return desk.templates.page(
                "import",
                ImportPage(
                    page: desk.chrome("Import", user, error: "Choose one or more seed files to import."),
                    created: [], errors: []),
                status: .unprocessableContent)
        }
        // The importer reads files by path and names them in its messages: each upload is written
        // under its own name in a folder of its own, and the folder is left out of the messages.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "copydesk-import-\(UUID().lowercased)")
        defer { try? FileManager.default.removeItem(at: folder) }
        var paths: [String] = []
        for (index, file) in files.enumerated() {
            let directory = folder.appendingPathComponent(String(index))
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let name = Self.safeName(file.fileName)
            let path = directory.appendingPathComponent(name).path
            guard FileManager.default.createFile(atPath: path, contents: Data(file.bytes)) else {
                throw DeskPageError(
                    status: .internalServerError, title: "Upload failed",
                    text: "The upload could not be stored; nothing was imported.")
            }
            paths.append(path)
        }
        let outcomes = try await desk.app.importer.importFiles(
            paths, as: user.actor, origin: .http, correlationId: "desk-\(UUID().lowercased)")
        var created: [ArticleListItem] = []
        var errors: [String] = []
        let zone = ReaderZone(request: request)
        for outcome in outcomes {
            switch outcome.result {
            case .success(let id):
                if let article = try await desk.app.queries.articleState(id) {
                    created.append(ArticleListItem(article, zone: zone))
                }
            case .failure(let error):
                var message = error.description
                for (index, _) in files.enumerated() {
                    message = message.replacingOccurrences(
                        of: folder.appendingPathComponent(String(index)).path + "/", with: "")
                }
                errors.append(message)
            }
        }
        let notice =
            created.isEmpty
            ? nil : "Imported \(created.count) of \(files.count) file\(files.count == 1 ? "" : "s") as drafts."
        return desk.templates.page(
            "import",
            ImportPage(
                page: desk.chrome(
                    "Import", user, notice: notice, error: errors.isEmpty ? nil : "Some files were not imported."),
                created: created, errors: errors),
            status: errors.isEmpty ? .ok : .unprocessableContent)
    }

    /// The file's own name without any folder, never empty or hidden.
    static func safeName(_ name: String) -> String {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let cleaned = last.filter { $0 != "\0" && !$0.isNewline }
        guard !cleaned.isEmpty, !cleaned.hasPrefix(".") else { return "upload.txt" }
        return String(cleaned.prefix(200))
    }
}
