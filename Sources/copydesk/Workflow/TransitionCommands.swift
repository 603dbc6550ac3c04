import ArgumentParser
import Copydesk
import Editorial
import Foundation

// The review and publication steps: each takes an article id and acts as `--as`.

/// `copydesk submit`: sends a draft (or a pending revision) to review.
struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "submit", abstract: "Send an article to review.")
    @Argument(help: "The article's id.") var id: ArticleID
    @OptionGroup var actingUser: ActingUserOptions
    func run() async throws { try await runWorkflow(.submit, on: id.uuid, actingUser: actingUser) }
}

/// `copydesk request-changes`: returns an article in review to its author.
struct RequestChangesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request-changes", abstract: "Send an article in review back to its author, saying why.")
    @Argument(help: "The article's id.") var id: ArticleID
    @Option(help: "What needs to change (required).") var reason: String
    @OptionGroup var actingUser: ActingUserOptions
    func run() async throws { try await runWorkflow(.requestChanges(reason: reason), on: id.uuid, actingUser: actingUser) }
}

/// `copydesk approve`: approves the revision under review (four-eyes: not by its writers).
struct ApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve", abstract: "Approve an article in review (not by anyone who wrote or edited it).")
    @Argument(help: "The article's id.") var id: ArticleID
    @Option(help: "A note for the history.") var note: String?
    @OptionGroup var actingUser: ActingUserOptions
    func run() async throws { try await runWorkflow(.approve(note: note), on: id.uuid, actingUser: actingUser) }
}

/// `copydesk publish`: puts an approved article live, now or at a given time.
struct PublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish", abstract: "Put an approved article live, or schedule it with --at.")
    @Argument(help: "The article's id.") var id: ArticleID
    @Option(help: "When to publish (ISO 8601, e.g. 2026-12-01T09:00:00Z); default now.") var at: Date?
    @OptionGroup var actingUser: ActingUserOptions
    func run() async throws { try await runWorkflow(.publish(at: at), on: id.uuid, actingUser: actingUser) }
}

/// `copydesk unschedule`: cancels a scheduled publication; the article is approved again and a live text stays live.
struct UnscheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unschedule",
        abstract: "Cancel a scheduled publication (the article stays approved; a live text stays live).")
    @Argument(help: "The article's id.") var id: ArticleID
    @Option(help: "Why the schedule is cancelled, for the history.") var reason: String?
    @OptionGroup var actingUser: ActingUserOptions
    func run() async throws { try await runWorkflow(.unschedule(reason: reason), on: id.uuid, actingUser: actingUser) }
}

/// `copydesk unpublish`: withdraws the live text (cancelling a schedule with it).
struct UnpublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unpublish", abstract: "Withdraw the live text of an article, saying why.")
    @Argument(help: "The article's id.") var id: ArticleID
    @Option(help: "Why it is withdrawn (required).") var reason: String
    @OptionGroup var actingUser: ActingUserOptions
    func run() async throws { try await runWorkflow(.unpublish(reason: reason), on: id.uuid, actingUser: actingUser) }
}

/// `copydesk archive`: retires an article for good.
struct ArchiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive", abstract: "Archive a draft, an article with changes requested, or an unpublished one.")
    @Argument(help: "The article's id.") var id: ArticleID
    @OptionGroup var actingUser: ActingUserOptions
    func run() async throws { try await runWorkflow(.archive, on: id.uuid, actingUser: actingUser) }
}

/// `copydesk restore`: brings an archived article back (unpublished if it was ever live, else a draft).
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Bring an archived article back: unpublished if it was ever live, else a draft.")
    @Argument(help: "The article's id.") var id: ArticleID
    @Option(help: "Why it comes back, for the history.") var reason: String?
    @OptionGroup var actingUser: ActingUserOptions
    func run() async throws { try await runWorkflow(.restore(reason: reason), on: id.uuid, actingUser: actingUser) }
}

/// `copydesk revert`: makes an earlier version's text the working text again, as a new edit.
struct RevertCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revert",
        abstract: "Make the text of an earlier version the working text again (a new edit; nothing old changes).")
    @Argument(help: "The article's id.") var id: ArticleID
    @Option(help: "The version whose text to bring back (see `copydesk history`).") var toVersion: Int64
    @Option(help: "A note for the history.") var note: String?
    @OptionGroup var actingUser: ActingUserOptions
    func run() async throws {
        try await runWorkflow(
            .revert(toVersion: toVersion, content: nil, note: note), on: id.uuid, actingUser: actingUser)
    }
}

/// `copydesk comment`: adds a review note without touching the text.
struct CommentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "comment", abstract: "Add a review note to an article (never changes its text).")
    @Argument(help: "The article's id.") var id: ArticleID
    @Option(help: "The comment.") var text: String
    @OptionGroup var actingUser: ActingUserOptions
    func run() async throws { try await runWorkflow(.comment(text: text), on: id.uuid, actingUser: actingUser) }
}
