import Editorial
import Foundation

/// Shared people, times and histories for the given / when / then tests.
enum Fixture {
    static let id = UUID(uuidString: "5F9BF97B-76E6-4000-8000-1F5BF97B76E6")!

    static let alice = Actor(name: "alice", role: .author)
    static let dave = Actor(name: "dave", role: .author)
    static let erin = Actor(name: "erin", role: .editor)
    static let bob = Actor(name: "bob", role: .editor)
    static let carol = Actor(name: "carol", role: .editor)
    static let pat = Actor(name: "pat", role: .publisher)
    static let ada = Actor(name: "ada", role: .admin)
    static let scheduler = Actor.scheduler

    /// 2026-11-09T02:40:00.000Z; every other time is whole minutes after it.
    static let start = Date(timeIntervalSinceReferenceDate: 816_000_000)

    static func minute(_ minutes: Double) -> Date {
        start.addingTimeInterval(minutes * 60)
    }

    /// When the command under test runs, after every given event.
    static let now = minute(10)

    static let content = ArticleContent(
        title: "Волгоградская область укрепляет связи с Казахстаном",
        lead: "Андрей Бочаров провел рабочую встречу с консулом.",
        body: "На встрече обсуждались перспективы.\n\nГлавной темой беседы стало развитие связей.",
        section: "Политика",
        tags: ["регионы"]
    )

    // MARK: Given events, written out by hand so the tests do not lean on the decider to build their histories.

    static let drafted = ArticleEvent.drafted(
        ArticleDrafted(id: id, content: content, originalDate: "2014-05-11", by: "alice", at: minute(0))
    )
    static let submitted = ArticleEvent.submitted(ArticleSubmitted(by: "alice", at: minute(1)))
    static let changesRequested = ArticleEvent.changesRequested(
        ChangesRequested(reason: "Нужны источники", by: "erin", at: minute(2))
    )
    static let approved = ArticleEvent.approved(ArticleApproved(note: nil, by: "erin", at: minute(2)))
    /// Scheduled at minute 3 for minute 5, so it is due (five minutes late) at `now`.
    static let scheduled = ArticleEvent.publicationScheduled(
        PublicationScheduled(scheduledFor: minute(5), by: "pat", at: minute(3))
    )
    static let published = ArticleEvent.published(ArticlePublished(content: content, by: "pat", at: minute(3)))
    static let unpublished = ArticleEvent.unpublished(
        ArticleUnpublished(reason: "Ошибка в цифрах", wasScheduled: false, by: "pat", at: minute(4))
    )
    static let archived = ArticleEvent.archived(ArticleArchived(by: "erin", at: minute(1)))

    /// A history that leaves a fresh article (alice's, never edited by anyone else) in `status`; none for nil.
    static func history(_ status: ArticleStatus?) -> [ArticleEvent] {
        guard let status else {
            return []
        }
        switch status {
        case .draft: return [drafted]
        case .inReview: return [drafted, submitted]
        case .changesRequested: return [drafted, submitted, changesRequested]
        case .approved: return [drafted, submitted, approved]
        case .scheduled: return [drafted, submitted, approved, scheduled]
        case .published: return [drafted, submitted, approved, published]
        case .unpublished: return [drafted, submitted, approved, published, unpublished]
        case .archived: return [drafted, archived]
        }
    }

    static func command(_ actor: Actor, _ action: ArticleCommand.Action, at: Date = now) -> ArticleCommand {
        ArticleCommand(actor: actor, at: at, action: action)
    }
}

/// What a command led to: the events it produced or why it was refused.
enum Outcome: Sendable, Equatable {
    case events([ArticleEvent])
    case refused(Refusal.Reason)
}

/// Given `events`, when `command` runs: the events, or the refusal.
func when(_ command: ArticleCommand, given events: [ArticleEvent]) -> Result<[ArticleEvent], Refusal> {
    Result { () throws(Refusal) in try ArticleDecider.decide(command, state: ArticleDecider.fold(events)) }
}

/// The outcome of `command` given `events`, reduced to events or a refusal reason.
func outcome(of command: ArticleCommand, given events: [ArticleEvent]) -> Outcome {
    switch when(command, given: events) {
    case .success(let produced): .events(produced)
    case .failure(let refusal): .refused(refusal.reason)
    }
}

/// Runs commands one after another from `events`, failing the test with the refusal if any is refused.
func history(_ events: [ArticleEvent], then commands: [ArticleCommand]) throws -> [ArticleEvent] {
    var all = events
    for command in commands {
        all += try ArticleDecider.decide(command, state: ArticleDecider.fold(all))
    }
    return all
}
