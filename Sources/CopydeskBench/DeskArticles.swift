import Copydesk
import Editorial
import Foundation
import Postgres

/// The articles the desk cases read: variants of the sample article (4 KB of Russian text) imported
/// by the importer, by several authors in several sections, then moved on through the workflow by
/// the command service so that every state the queue counts has articles and an editor has a turn.
enum DeskArticles {
    static let count = 10_000
    static let authors = (1...5).map { Actor(name: "bench-desk-author-\($0)", role: .author) }
    static let sections = ["Политика", "Экономика", "Общество", "Культура", "Спорт", "Происшествия", "World", "Tech"]
    /// Of the imported drafts: how many are submitted, of those how many approved (by an editor
    /// other than the one signed in), and of those how many published.
    static let submitted = 3_000
    static let approved = 1_200
    static let published = 500

    /// Creates the articles and returns their ids.
    static func create(_ app: CopydeskApp) async throws -> [UUID] {
        let sample = try String(contentsOf: WorkflowCases.sampleSeed, encoding: .utf8)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("copydesk-bench-desk-\(getpid())")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let perAuthor = count / authors.count
        let lines = sample.components(separatedBy: "\n")
        var ids: [UUID] = []
        for (authorIndex, author) in authors.enumerated() {
            var files: [String] = []
            for index in 0..<perAuthor {
                let number = authorIndex * perAuthor + index
                var variant = lines
                variant[0] += " \(number)"
                variant[2] = variant[2].replacingOccurrences(
                    of: "Политика", with: sections[number % sections.count])
                variant[3] += " \(number)"
                let file = folder.appendingPathComponent(String(format: "%06d.txt", number))
                try variant.joined(separator: "\n").write(to: file, atomically: false, encoding: .utf8)
                files.append(file.path)
            }
            for outcome in try await app.importer.importFiles(files, as: author) {
                switch outcome.result {
                case .success(let id): ids.append(id)
                case .failure(let error): throw BenchError("desk import failed: \(error)")
                }
            }
        }
        let otherEditor = Actor(name: "bench-desk-other-editor", role: .editor)
        let publisher = Actor(name: "bench-desk-publisher", role: .publisher)
        // Taken from each author in turn, so the states are spread over authors and sections.
        let moving = (0..<submitted).map { index in
            (ids[(index % authors.count) * perAuthor + index / authors.count], authors[index % authors.count])
        }
        try await inParallel(moving) { article, index in
            let (id, author) = article
            try await run(app, .submit, on: id, by: author)
            if index < approved { try await run(app, .approve(note: nil), on: id, by: otherEditor) }
            if index < published { try await run(app, .publish(at: nil), on: id, by: publisher) }
        }
        return ids
    }

    private static func run(_ app: CopydeskApp, _ action: ArticleCommand.Action, on id: UUID, by actor: Actor)
        async throws
    {
        _ = try await app.commands.handle(WorkflowCommand(article: id, actor: actor, action: action, origin: .cli))
    }

    /// Runs `body` for every element, 8 at a time (commands on distinct articles do not wait for each other).
    private static func inParallel(
        _ items: [(UUID, Actor)], _ body: @escaping @Sendable ((UUID, Actor), Int) async throws -> Void
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    for index in stride(from: worker, to: items.count, by: 8) { try await body(items[index], index) }
                }
            }
            try await group.waitForAll()
        }
    }
}
