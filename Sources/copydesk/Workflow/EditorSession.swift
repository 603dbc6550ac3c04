import ArgumentParser
import Copydesk
import Editorial
import Foundation

/// `copydesk edit ID` with no text options: the article in `$VISUAL`/`$EDITOR`, as `git commit` does it.
///
/// The edit is pinned to the version that was opened. Once the editor has run, the user's text is never lost:
/// whatever stops the edit (a conflict, a refusal, a layout mistake), the file stays and its path is printed.
struct EditorSession {
    let command: EditCommand

    func run() async throws {
        try await reportingErrors {
            let backend = try await backendFromEnvironment()
            let article = try await EditCommand.current(command.id.uuid, in: backend)
            if let unfit = EditorFile.unfit(article) {
                throw WorkflowError.invalidInput(unfit + "; nothing was written")
            }
            let file = try Self.file(for: article)
            try Data(EditorFile.text(of: article).utf8).write(to: file)
            let kept = "your text is kept in \(file.path) (edited from version \(article.version))"
            // Errors are reported inside, where the note saying where the text is can be added to them.
            try await FailureNote.$text.withValue(kept) { try await reportingErrors {
                try Self.openEditor(on: file)
                let content: ArticleContent
                do {
                    content = try EditorFile.read(try readText(file.path), editing: article)
                } catch let error as EditorFile.FormatError {
                    throw WorkflowError.invalidInput("\(file.path): \(error); nothing was written")
                }
                let changes = ContentChanges(from: article.workingText, to: content)
                guard !changes.isEmpty else {
                    try? FileManager.default.removeItem(at: file)
                    print("no change: the text is as it was at version \(article.version); nothing was written")
                    return
                }
                try await runWorkflow(
                    .edit(changes, note: command.note), on: article.id, actingUser: command.actingUser,
                    expectedVersion: command.expectVersion ?? article.version, backend: backend)
                try? FileManager.default.removeItem(at: file)
            } }
        }
    }

    /// A new file in the temporary directory, named for the article and the version it opens.
    private static func file(for article: ArticleView) throws -> URL {
        let name = "copydesk-\(article.id.lowercased.prefix(8))-v\(article.version)-\(UUID().uuidString.prefix(6)).txt"
        return FileManager.default.temporaryDirectory.appendingPathComponent(name)
    }

    /// Runs `$VISUAL`, else `$EDITOR`, else `vi` through the shell, as git does (so `EDITOR="code --wait"` works),
    /// on this terminal, and waits for it.
    private static func openEditor(on file: URL) throws {
        let environment = ProcessInfo.processInfo.environment
        let editor = [environment["VISUAL"], environment["EDITOR"]].compactMap { $0 }.first { !$0.isEmpty } ?? "vi"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", editor + " \"$@\"", editor, file.path]
        do {
            try process.run()
        } catch {
            throw WorkflowError.invalidInput("cannot start the editor \"\(editor)\": \(error); nothing was written")
        }
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw WorkflowError.invalidInput(
                "the editor \"\(editor)\" stopped with status \(process.terminationStatus); nothing was written")
        }
    }
}
