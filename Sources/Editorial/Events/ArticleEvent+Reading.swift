import Foundation

/// A payload that `PayloadReader` reads, member by member: how `ArticleEvent.decode` rebuilds
/// every article event. Each reads the members its Codable conformance writes, under the same
/// keys, with the same ones optional; EventCodingTests holds the two together.
protocol PayloadReadable {
    init(reading reader: inout PayloadReader) throws
}

extension ArticleContent: PayloadReadable {
    init(reading reader: inout PayloadReader) throws {
        var title: String?, lead: String?, body: String?, section: String?, tags: [String]?
        try reader.enterObject()
        while let key = try reader.nextKey() {
            switch key {
            case "title": title = try reader.string()
            case "lead": lead = try reader.string()
            case "body": body = try reader.string()
            case "section": section = try reader.string()
            case "tags": tags = try reader.strings()
            default: try reader.skipValue()
            }
        }
        self.init(
            title: try reader.required(title, "title"), lead: try reader.required(lead, "lead"),
            body: try reader.required(body, "body"), section: try reader.required(section, "section"),
            tags: try reader.required(tags, "tags"))
    }
}

extension ContentChanges: PayloadReadable {
    init(reading reader: inout PayloadReader) throws {
        self.init()
        try reader.enterObject()
        while let key = try reader.nextKey() {
            switch key {
            case "title": title = try reader.nullable { try $0.string() }
            case "lead": lead = try reader.nullable { try $0.string() }
            case "body": body = try reader.nullable { try $0.string() }
            case "section": section = try reader.nullable { try $0.string() }
            case "tags": tags = try reader.nullable { try $0.strings() }
            default: try reader.skipValue()
            }
        }
    }
}

extension ArticleDrafted: PayloadReadable {
    init(reading reader: inout PayloadReader) throws {
        var id: UUID?, content: ArticleContent?, originalDate: String?, by: String?, at: Date?
        try reader.enterObject()
        while let key = try reader.nextKey() {
            switch key {
            case "id": id = try reader.uuid()
            case "content": content = try ArticleContent(reading: &reader)
            case "originalDate": originalDate = try reader.nullable { try $0.string() }
            case "by": by = try reader.string()
            case "at": at = try reader.date()
            default: try reader.skipValue()
            }
        }
        self.init(
            id: try reader.required(id, "id"), content: try reader.required(content, "content"),
            originalDate: originalDate, by: try reader.required(by, "by"), at: try reader.required(at, "at"))
    }
}

extension ArticleEdited: PayloadReadable {
    init(reading reader: inout PayloadReader) throws {
        var changes: ContentChanges?, note: String?, sentBackToReview: Bool?, startedPendingRevision: Bool?
        var cancelledSchedule: Date?, revertedTo: Int64?, by: String?, at: Date?
        try reader.enterObject()
        while let key = try reader.nextKey() {
            switch key {
            case "changes": changes = try ContentChanges(reading: &reader)
            case "note": note = try reader.nullable { try $0.string() }
            case "sentBackToReview": sentBackToReview = try reader.bool()
            case "startedPendingRevision": startedPendingRevision = try reader.bool()
            case "cancelledSchedule": cancelledSchedule = try reader.nullable { try $0.date() }
            case "revertedTo": revertedTo = try reader.nullable { try $0.int64() }
            case "by": by = try reader.string()
            case "at": at = try reader.date()
            default: try reader.skipValue()
            }
        }
        self.init(
            changes: try reader.required(changes, "changes"), note: note,
            sentBackToReview: try reader.required(sentBackToReview, "sentBackToReview"),
            startedPendingRevision: try reader.required(startedPendingRevision, "startedPendingRevision"),
            cancelledSchedule: cancelledSchedule, revertedTo: revertedTo, by: try reader.required(by, "by"),
            at: try reader.required(at, "at"))
    }
}

extension ArticleSubmitted: PayloadReadable {
    init(reading reader: inout PayloadReader) throws {
        var by: String?, at: Date?
        try reader.enterObject()
        while let key = try reader.nextKey() {
            switch key {
            case "by": by = try reader.string()
            case "at": at = try reader.date()
            default: try reader.skipValue()
            }
        }
        self.init(by: try reader.required(by, "by"), at: try reader.required(at, "at"))
    }
}

extension ChangesRequested: PayloadReadable {
    init(reading reader: inout PayloadReader) throws {
        var reason: String?, by: String?, at: Date?
        try reader.enterObject()
        while let key = try reader.nextKey() {
            switch key {
            case "reason": reason = try reader.string()
            case "by": by = try reader.string()
            case "at": at = try reader.date()
            default: try reader.skipValue()
            }
        }
        self.init(
            reason: try reader.required(reason, "reason"), by: try reader.required(by, "by"),
            at: try reader.required(at, "at"))
    }
}

extension ArticleApproved: PayloadReadable {
    init(reading reader: inout PayloadReader) throws {
        var note: String?, by: String?, at: Date?
        try reader.enterObject()
        while let key = try reader.nextKey() {
            switch key {
            case "note": note = try reader.nullable { try $0.string() }
            case "by": by = try reader.string()
            case "at": at = try reader.date()
            default: try reader.skipValue()
            }
        }
        self.init(note: note, by: try reader.required(by, "by"), at: try reader.required(at, "at"))
    }
}

extension PublicationScheduled: PayloadReadable {
    init(reading reader: inout PayloadReader) throws {
        var scheduledFor: Date?, by: String?, at: Date?
        try reader.enterObject()
        while let key = try reader.nextKey() {
            switch key {
            case "scheduledFor": scheduledFor = try reader.date()
            case "by": by = try reader.string()
            case "at": at = try reader.date()
            default: try reader.skipValue()
            }
        }
        self.init(
            scheduledFor: try reader.required(scheduledFor, "scheduledFor"), by: try reader.required(by, "by"),
            at: try reader.required(at, "at"))
    }
}

extension PublicationUnscheduled: PayloadReadable {
    init(reading reader: inout PayloadReader) throws {
        var scheduledFor: Date?, reason: String?, by: String?, at: Date?
        try reader.enterObject()
        while let key = try reader.nextKey() {
            switch key {
            case "scheduledFor": scheduledFor = try reader.date()
            case "reason": reason = try reader.nullable { try $0.string() }
            case "by": by = try reader.string()
            case "at": at = try reader.date()
            default: try reader.skipValue()
            }
        }
        self.init(
            scheduledFor: try reader.required(scheduledFor, "scheduledFor"), reason: reason,
            by: try reader.required(by, "by"), at: try reader.required(at, "at"))
    }
}

extension ArticlePublished: PayloadReadable {
    init(reading reader: inout PayloadReader) throws {
        var content: ArticleContent?, scheduledFor: Date?, latenessSeconds: Double?, by: String?, at: Date?
        try reader.enterObject()
        while let key = try reader.nextKey() {
            switch key {
            case "content": content = try ArticleContent(reading: &reader)
            case "scheduledFor": scheduledFor = try reader.nullable { try $0.date() }
            case "latenessSeconds": latenessSeconds = try reader.nullable { try $0.double() }
            case "by": by = try reader.string()
            case "at": at = try reader.date()
            default: try reader.skipValue()
            }
        }
        self.init(
            content: try reader.required(content, "content"), scheduledFor: scheduledFor,
            latenessSeconds: latenessSeconds, by: try reader.required(by, "by"), at: try reader.required(at, "at"))
    }
}

extension ArticleUnpublished: PayloadReadable {
    init(reading reader: inout PayloadReader) throws {
        var reason: String?, wasScheduled: Bool?, by: String?, at: Date?
        try reader.enterObject()
        while let key = try reader.nextKey() {
            switch key {
            case "reason": reason = try reader.string()
            case "wasScheduled": wasScheduled = try reader.bool()
            case "by": by = try reader.string()
            case "at": at = try reader.date()
            default: try reader.skipValue()
            }
        }
        self.init(
            reason: try reader.required(reason, "reason"), wasScheduled: try reader.required(wasScheduled, "wasScheduled"),
            by: try reader.required(by, "by"), at: try reader.required(at, "at"))
    }
}

extension ArticleArchived: PayloadReadable {
    init(reading reader: inout PayloadReader) throws {
        var by: String?, at: Date?
        try reader.enterObject()
        while let key = try reader.nextKey() {
            switch key {
            case "by": by = try reader.string()
            case "at": at = try reader.date()
            default: try reader.skipValue()
            }
        }
        self.init(by: try reader.required(by, "by"), at: try reader.required(at, "at"))
    }
}

extension ArticleRestored: PayloadReadable {
    init(reading reader: inout PayloadReader) throws {
        var status: ArticleStatus?, reason: String?, by: String?, at: Date?
        try reader.enterObject()
        while let key = try reader.nextKey() {
            switch key {
            case "status": status = try reader.enumeration(ArticleStatus.self)
            case "reason": reason = try reader.nullable { try $0.string() }
            case "by": by = try reader.string()
            case "at": at = try reader.date()
            default: try reader.skipValue()
            }
        }
        self.init(
            status: try reader.required(status, "status"), reason: reason, by: try reader.required(by, "by"),
            at: try reader.required(at, "at"))
    }
}

extension CommentAdded: PayloadReadable {
    init(reading reader: inout PayloadReader) throws {
        var text: String?, by: String?, at: Date?
        try reader.enterObject()
        while let key = try reader.nextKey() {
            switch key {
            case "text": text = try reader.string()
            case "by": by = try reader.string()
            case "at": at = try reader.date()
            default: try reader.skipValue()
            }
        }
        self.init(
            text: try reader.required(text, "text"), by: try reader.required(by, "by"),
            at: try reader.required(at, "at"))
    }
}
