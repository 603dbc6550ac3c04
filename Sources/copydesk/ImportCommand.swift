import ArgumentParser
import Copydesk
import Foundation

/// `copydesk import`: seed-format articles become drafts.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import articles in the seed text format; each file becomes a draft. Prints one id per article.",
        discussion: """
            A file that does not fit the format is reported with its line and nothing from it is written. A file \
            whose text (title, section, date, lead and body) was imported before writes nothing either: it is \
            reported as "already imported as ID" and that id is printed; --again imports it anyway.
            """)

    @Argument(help: "Seed files, or folders of them.") var paths: [String]
    @Flag(help: "Import files whose text was imported before, as new articles.") var again = false
    @OptionGroup var actingUser: ActingUserOptions

    func run() async throws {
        var failed = false
        try await reportingErrors {
            let files = try SeedImporter.files(in: paths)
            let app = try await CopydeskApp.fromEnvironment()
            let actor = try await actingUser.actor(in: app)
            for outcome in try await app.importer.importFiles(files, as: actor, skippingImported: !again) {
                switch outcome.result {
                case .success(let id):
                    print(id.lowercased)
                    if outcome.alreadyImported {
                        Self.note("\(outcome.file): already imported as \(id.lowercased); nothing was written "
                            + "(--again imports it as a new article)")
                    }
                case .failure(let error):
                    failed = true
                    Self.note(String(describing: error))
                }
            }
        }
        if failed { throw ExitCode(ExitStatus.invalidInput) }
    }

    private static func note(_ message: String) {
        FileHandle.standardError.write(Data("copydesk: \(TerminalText.line(message))\n".utf8))
    }
}
