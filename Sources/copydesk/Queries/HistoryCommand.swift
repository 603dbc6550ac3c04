import ArgumentParser
import Copydesk

/// `copydesk history`: every event of an article, who and why.
struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "Show every step of an article's history: version, time, actor, action, reason.")

    @Argument(help: "The article's id.") var id: ArticleID
    @Flag(help: "Print JSON for scripts.") var json = false
    @OptionGroup var times: TimeOptions

    func run() async throws {
        try await reportingErrors(utc: times.utc) {
            let entries = try await backendFromEnvironment().history(id.uuid)
            guard !entries.isEmpty else { throw WorkflowError.articleNotFound(id.uuid) }
            if json {
                print(try Output.json(entries))
                return
            }
            print(Output.table(
                ["V", "TIME", "ACTOR", "ACTION", "STATE", "DETAILS"],
                entries.map { entry in
                    var details: [String] = []
                    if !entry.changed.isEmpty { details.append("changed: " + entry.changed.joined(separator: ", ")) }
                    if let reason = entry.reason { details.append("reason: " + reason) }
                    if let note = entry.note { details.append("note: " + note) }
                    let state = entry.stateBefore.map { $0 == entry.stateAfter ? $0 : "\($0) → \(entry.stateAfter)" }
                        ?? entry.stateAfter
                    return [String(entry.version), Output.timestamp(entry.at),
                            Output.actor(entry.actor, kind: entry.actorKind), entry.action, state,
                            details.joined(separator: "; ")]
                }))
        }
    }
}
