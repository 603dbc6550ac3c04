import Copydesk
import Editorial
import Foundation

/// The model of `article.mustache`: an article set for reading, its state, its last change, the
/// live text beside a pending revision, and the actions the domain allows this user now.
struct ArticlePage {
    /// One action form: a command the domain lists as allowed, with the fields its arguments need.
    struct Action {
        let command: String
        let label: String
        let needsReason: Bool
        let needsText: Bool
        let takesNote: Bool
        let isPublish: Bool
        let isDangerous: Bool

        init(
            _ kind: CommandKind, _ label: String, needsReason: Bool = false, needsText: Bool = false,
            takesNote: Bool = false, isPublish: Bool = false, isDangerous: Bool = false
        ) {
            command = kind.rawValue
            self.label = label
            self.needsReason = needsReason
            self.needsText = needsText
            self.takesNote = takesNote
            self.isPublish = isPublish
            self.isDangerous = isDangerous
        }
    }

    let page: PageChrome
    let id: String
    let version: Int64
    let title: String
    let lead: String
    let paragraphs: [String]
    let lang: String
    let state: String
    /// Nil when the article has no section (templates take an empty string as true).
    let section: String?
    let tags: String
    let hasTags: Bool
    let author: String
    let lastChange: LastChange?
    let scheduledFor: ReaderZone.Shown?
    let live: LiveText?
    let pendingDiff: [DiffField]
    /// Stored, not computed: templates see stored properties only.
    let hasPendingDiff: Bool
    /// Set when the page shows a past version: its number and the current one.
    let pastVersion: PastVersion?
    let actions: [Action]
    let mayEdit: Bool
    let zone: String
    let scheduleValue: String

    struct LastChange {
        let actor: String
        let isSystem: Bool
        let action: String
        let at: ReaderZone.Shown
    }

    struct LiveText {
        let title: String
        let lead: String
        let paragraphs: [String]
        let lang: String
        let publishedAt: ReaderZone.Shown
        let publishedBy: String
    }

    struct PastVersion {
        let current: Int64
        /// Whether to offer "restore this version" (a revert): allowed now, and the text differs.
        let mayRevert: Bool
    }

    init(
        chrome: PageChrome, view: ArticleView, lastChange: HistoryEntry?, allowed: [CommandKind], zone: ReaderZone,
        pastVersion: PastVersion? = nil, scheduleValue: String = ""
    ) {
        page = chrome
        id = view.id.lowercased
        version = view.version
        title = view.title
        lead = view.lead
        paragraphs = Self.paragraphs(view.body)
        lang = TextLanguage.guess(view.title, view.lead, view.body)
        state = view.state
        section = view.section.isEmpty ? nil : view.section
        tags = view.tags.joined(separator: ", ")
        hasTags = !view.tags.isEmpty
        author = view.author
        self.lastChange = lastChange.map {
            LastChange(actor: $0.actor, isSystem: $0.actorKind == "system", action: $0.action, at: zone.show($0.at))
        }
        scheduledFor = view.scheduledFor.map(zone.show)
        let working = ArticleContent(
            title: view.title, lead: view.lead, body: view.body, section: view.section, tags: view.tags)
        if let live = view.live {
            let liveContent = ArticleContent(
                title: live.title, lead: live.lead, body: live.body, section: live.section, tags: live.tags)
            self.live = LiveText(
                title: live.title, lead: live.lead, paragraphs: Self.paragraphs(live.body),
                lang: TextLanguage.guess(live.title, live.lead, live.body), publishedAt: zone.show(live.publishedAt),
                publishedBy: live.publishedBy)
            // Only when the texts differ is there a difference to show.
            let diff = ArticleDiff(id: view.id, from: 0, to: view.version, old: liveContent, new: working)
            pendingDiff = diff.fields.filter(\.changed).map(DiffField.init)
        } else {
            live = nil
            pendingDiff = []
        }
        hasPendingDiff = !pendingDiff.isEmpty
        self.pastVersion = pastVersion
        actions = pastVersion == nil ? allowed.compactMap(Self.action) : []
        mayEdit = pastVersion == nil && allowed.contains(.edit)
        self.zone = zone.identifier
        self.scheduleValue = scheduleValue
    }

    /// The form for a command, by the arguments its `ArticleCommand.Action` takes; nil for the
    /// commands that are not buttons (draft, edit: its own page; revert: on a past version's page;
    /// publish-due: the scheduler's).
    static func action(_ kind: CommandKind) -> Action? {
        switch kind {
        case .draft, .edit, .revert, .publishDue: nil
        case .submit: Action(kind, "Submit for review")
        case .requestChanges: Action(kind, "Request changes", needsReason: true)
        case .approve: Action(kind, "Approve", takesNote: true)
        case .publish: Action(kind, "Publish", isPublish: true)
        case .unschedule: Action(kind, "Unschedule", takesNote: true)
        case .unpublish: Action(kind, "Unpublish", needsReason: true, isDangerous: true)
        case .archive: Action(kind, "Archive", isDangerous: true)
        case .restore: Action(kind, "Restore", takesNote: true)
        case .comment: Action(kind, "Comment", needsText: true)
        }
    }

    /// The body's paragraphs: separated by blank lines, as the seed format and editors write them.
    static func paragraphs(_ body: String) -> [String] {
        body.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n")
            .map { $0.trimmingCharacters(in: .newlines) }.filter { !$0.isEmpty }
    }
}
