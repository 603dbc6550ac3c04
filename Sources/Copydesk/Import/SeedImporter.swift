import Editorial
import EventStore
import Foundation

/// Imports articles in the seed text format (DESIGN.md): each file becomes a draft by the acting
/// user, keeping every character of its text and its original date.
public struct SeedImporter: Sendable {
    public let service: CommandService

    public init(service: CommandService) {
        self.service = service
    }

    /// The outcome for one file: the new article's id, or why nothing was written for it.
    public struct FileOutcome: Sendable {
        public let file: String
        public let result: Result<UUID, WorkflowError>
    }

    /// The seed files named by `paths`: files as given, folders by their regular files in name order.
    public static func files(in paths: [String]) throws -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw WorkflowError.invalidInput("\(path): no such file or folder; nothing was imported")
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            let names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
            for name in names where !name.hasPrefix(".") {
                let file = (path as NSString).appendingPathComponent(name)
                var nestedIsDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: file, isDirectory: &nestedIsDirectory), !nestedIsDirectory.boolValue {
                    files.append(file)
                }
            }
        }
        return files
    }

    /// Imports each file in its own transaction: a malformed file writes nothing and the others go on.
    public func importFiles(_ files: [String], as actor: Actor, origin: Origin = .cli, correlationId: String? = nil)
        async throws -> [FileOutcome]
    {
        var outcomes: [FileOutcome] = []
        for file in files {
            let article: SeedArticle
            do {
                article = try Self.read(file)
            } catch let error as WorkflowError {
                outcomes.append(FileOutcome(file: file, result: .failure(error)))
                continue
            }
            let id = UUID()
            do {
                _ = try await service.handle(WorkflowCommand(
                    article: id, actor: actor,
                    action: .draft(id: id, content: article.content, originalDate: article.originalDate),
                    correlationId: correlationId, origin: origin))
                outcomes.append(FileOutcome(file: file, result: .success(id)))
            } catch let error as WorkflowError {
                outcomes.append(FileOutcome(file: file, result: .failure(Self.naming(file, error))))
            }
        }
        return outcomes
    }

    /// Reads and parses one seed file; errors name the file (and the line when the format is wrong).
    static func read(_ file: String) throws -> SeedArticle {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw WorkflowError.invalidInput("\(file): cannot read the file; nothing was imported from it")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw WorkflowError.invalidInput("\(file): not UTF-8 text; nothing was imported from it")
        }
        do {
            return try SeedArticle.parse(text)
        } catch {
            throw WorkflowError.invalidInput("\(file):\(error.line): \(error.message); nothing was imported from it")
        }
    }

    private static func naming(_ file: String, _ error: WorkflowError) -> WorkflowError {
        switch error {
        case .refused, .conflict, .articleNotFound, .unknownUser: .invalidInput("\(file): \(error)")
        case .invalidInput(let message): .invalidInput("\(file): \(message)")
        }
    }
}
