import Foundation

// Each payload's members in sorted key order, as `JSONEncoder` with `.sortedKeys` wrote them
// (EventCodingTests compares the two byte for byte).

extension ArticleContent: PayloadWritable {
    func write(to writer: inout PayloadWriter) {
        writer.string("body", body)
        writer.string("lead", lead)
        writer.string("section", section)
        writer.strings("tags", tags)
        writer.string("title", title)
    }
}

extension ContentChanges: PayloadWritable {
    func write(to writer: inout PayloadWriter) {
        writer.string("body", body)
        writer.string("lead", lead)
        writer.string("section", section)
        writer.strings("tags", tags)
        writer.string("title", title)
    }
}

extension ArticleDrafted: PayloadWritable {
    func write(to writer: inout PayloadWriter) {
        writer.date("at", at)
        writer.string("by", by)
        writer.object("content", content)
        writer.uuid("id", id)
        writer.string("originalDate", originalDate)
    }
}

extension ArticleEdited: PayloadWritable {
    func write(to writer: inout PayloadWriter) {
        writer.date("at", at)
        writer.string("by", by)
        writer.date("cancelledSchedule", cancelledSchedule)
        writer.object("changes", changes)
        writer.string("note", note)
        writer.int64("revertedTo", revertedTo)
        writer.bool("sentBackToReview", sentBackToReview)
        writer.bool("startedPendingRevision", startedPendingRevision)
    }
}

extension ArticleSubmitted: PayloadWritable {
    func write(to writer: inout PayloadWriter) {
        writer.date("at", at)
        writer.string("by", by)
    }
}

extension ChangesRequested: PayloadWritable {
    func write(to writer: inout PayloadWriter) {
        writer.date("at", at)
        writer.string("by", by)
        writer.string("reason", reason)
    }
}

extension ArticleApproved: PayloadWritable {
    func write(to writer: inout PayloadWriter) {
        writer.date("at", at)
        writer.string("by", by)
        writer.string("note", note)
    }
}

extension PublicationScheduled: PayloadWritable {
    func write(to writer: inout PayloadWriter) {
        writer.date("at", at)
        writer.string("by", by)
        writer.date("scheduledFor", scheduledFor)
    }
}

extension PublicationUnscheduled: PayloadWritable {
    func write(to writer: inout PayloadWriter) {
        writer.date("at", at)
        writer.string("by", by)
        writer.string("reason", reason)
        writer.date("scheduledFor", scheduledFor)
    }
}

extension ArticlePublished: PayloadWritable {
    func write(to writer: inout PayloadWriter) {
        writer.date("at", at)
        writer.string("by", by)
        writer.object("content", content)
        writer.double("latenessSeconds", latenessSeconds)
        writer.date("scheduledFor", scheduledFor)
    }
}

extension ArticleUnpublished: PayloadWritable {
    func write(to writer: inout PayloadWriter) {
        writer.date("at", at)
        writer.string("by", by)
        writer.string("reason", reason)
        writer.bool("wasScheduled", wasScheduled)
    }
}

extension ArticleArchived: PayloadWritable {
    func write(to writer: inout PayloadWriter) {
        writer.date("at", at)
        writer.string("by", by)
    }
}

extension ArticleRestored: PayloadWritable {
    func write(to writer: inout PayloadWriter) {
        writer.date("at", at)
        writer.string("by", by)
        writer.string("reason", reason)
        writer.enumeration("status", status)
    }
}

extension CommentAdded: PayloadWritable {
    func write(to writer: inout PayloadWriter) {
        writer.date("at", at)
        writer.string("by", by)
        writer.string("text", text)
    }
}
