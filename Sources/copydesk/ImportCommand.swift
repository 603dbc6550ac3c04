import ArgumentParser
import Copydesk
import Foundation

/// `copydesk import`: seed-format articles become drafts.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import articles in the seed text format; each file becomes a draft. Prints one id per article.",
        discussion: "A file that does not fit the format is reported with its line and nothing from it is written.")

    @Argument(help: "Seed files, or folders of them.") var paths: [String]
    @OptionGroup var actingUser: ActingUserOptions

    func run() async throws {
        var failed = false
        try await reportingErrors {
            let files = try SeedImporter.files(in: paths)
            let app = try await CopydeskApp.fromEnvironment()
            let actor = try await actingUser.actor(in: app)
            for outcome in try await app.importer.importFiles(files, as: actor) {
                switch outcome.result {
                case .success(let id):
                    print(id.lowercased)
                case .failure(let error):
                    failed = true
                    let message = TerminalText.line(String(describing: error))
                    FileHandle.standardError.write(Data("copydesk: \(message)\n".utf8))
                }
            }
        }
        if failed { throw ExitCode(ExitStatus.invalidInput) }
    }
}
