import Foundation

extension ArticleCommand.Action {
    /// The action with its tags trimmed and duplicates removed (the first of each kept, in order), or the 1-based
    /// position of the first tag that is empty once trimmed.
    ///
    /// A tag is a label to file an article under: spaces around it and a second copy mean nothing, an empty one
    /// files it nowhere. Every other text is kept exactly as written.
    func normalizingTags() -> Result<Self, EmptyTag> {
        switch self {
        case .draft(let id, var content, let originalDate):
            switch Self.normalized(content.tags) {
            case .success(let tags): content.tags = tags
            case .failure(let empty): return .failure(empty)
            }
            return .success(.draft(id: id, content: content, originalDate: originalDate))
        case .edit(var changes, let note):
            guard let tags = changes.tags else { return .success(self) }
            switch Self.normalized(tags) {
            case .success(let tags): changes.tags = tags
            case .failure(let empty): return .failure(empty)
            }
            return .success(.edit(changes, note: note))
        case .revert, .submit, .requestChanges, .approve, .publish, .unschedule, .publishDue, .unpublish, .archive,
            .restore, .comment:
            // A revert's text was checked when it was first written; its tags are as they were then.
            return .success(self)
        }
    }

    /// The first 1-based position of a tag that is empty once trimmed.
    struct EmptyTag: Error {
        let position: Int
    }

    private static func normalized(_ tags: [String]) -> Result<[String], EmptyTag> {
        var seen = Set<String>()
        var result: [String] = []
        for (index, tag) in tags.enumerated() {
            let trimmed = tag.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { return .failure(EmptyTag(position: index + 1)) }
            if seen.insert(trimmed).inserted { result.append(trimmed) }
        }
        return .success(result)
    }

    /// The first limit the action's input exceeds, with the length (or count) it has and, for a tag, its 1-based
    /// position; nil when every field is within its limit. Only the fields the command sets are checked.
    public var exceededLimit: (limit: InputLimit, length: Int, position: Int?)? {
        var texts: [(InputLimit, String?)]
        var tags: [String] = []
        switch self {
        case .draft(_, let content, _):
            texts = [(.title, content.title), (.lead, content.lead), (.body, content.body), (.section, content.section)]
            tags = content.tags
        case .edit(let changes, let note):
            texts = [(.title, changes.title), (.lead, changes.lead), (.body, changes.body), (.section, changes.section)]
            tags = changes.tags ?? []
            texts.append((.note, note))
        case .requestChanges(let reason), .unpublish(let reason):
            texts = [(.reason, reason)]
        case .unschedule(let reason), .restore(let reason):
            texts = [(.reason, reason)]
        case .revert(_, _, let note):
            texts = [(.note, note)]
        case .approve(let note):
            texts = [(.note, note)]
        case .comment(let text):
            texts = [(.comment, text)]
        case .submit, .publish, .publishDue, .archive:
            texts = []
        }
        for (limit, text) in texts {
            if let text, limit.isExceeded(by: text) { return (limit, text.unicodeScalars.count, nil) }
        }
        if tags.count > InputLimit.tags.maximum { return (.tags, tags.count, nil) }
        for (index, tag) in tags.enumerated() where InputLimit.tag.isExceeded(by: tag) {
            return (.tag, tag.unicodeScalars.count, index + 1)
        }
        return nil
    }
}
