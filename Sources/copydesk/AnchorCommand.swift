import ArgumentParser
import Copydesk
import EventStore
import Foundation

/// `copydesk anchor`: a digest of the whole history so far, to keep outside the database.
struct AnchorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anchor",
        abstract: "Print a Merkle root over every event's hash up to the last position, to keep elsewhere.",
        discussion: """
            Keep the output outside the database (mail it, commit it to a git repository, print it). \
            `copydesk verify --anchor FILE` later proves that no event up to its position was changed, \
            removed or added, even by someone who re-chained whole streams with database superuser rights. \
            The tree is RFC 6962's (Certificate Transparency) over the events' stored SHA-256 hashes in \
            position order.
            """)

    @Flag(help: "Print the anchor as one JSON object (position, events, root, takenAt) instead of text.")
    var json = false

    func run() async throws {
        try await reportingErrors {
            let database = try await DatabaseConfiguration.fromEnvironment()
            try await Migrator().requireUpToDate(on: database.ownerConnection())
            let anchor = try await EventStore(pool: database.servicePool()).anchor()
            if json {
                print(try Output.json(anchor, pretty: false))
            } else {
                print(anchor.text, terminator: "")
            }
        }
    }
}
