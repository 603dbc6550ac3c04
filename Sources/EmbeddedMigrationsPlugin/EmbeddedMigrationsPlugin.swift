import Foundation
import PackagePlugin

/// Generates a Swift source holding every `.sql` file of the target it is applied to (`Copydesk`,
/// whose `sql` is a link to the repository's `sql/`), so that the migrations are compiled into the
/// binary: a `copydesk` copied alone to another machine can still migrate.
///
/// The files come from the target's own sources, not from a directory listing, because SwiftPM
/// plans a build again when a target's directory gains or loses a file: adding, editing or
/// removing a migration rebuilds.
@main
struct EmbeddedMigrationsPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let sql = target.sourceModule.map { Array($0.sourceFiles(withSuffix: "sql")) } ?? []
        let files = sql.map(\.url).sorted { $0.lastPathComponent < $1.lastPathComponent }
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("EmbeddedMigrations.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(files.count) migrations from sql/",
                executable: try context.tool(named: "MigrationEmbedder").url,
                arguments: [output.path] + files.map(\.path),
                inputFiles: files,
                outputFiles: [output])
        ]
    }
}
