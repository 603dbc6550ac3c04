import EventStore
import Foundation
import Postgres
import Timestamps

/// One event of the global log as a line of JSON, for `copydesk events` and (later) an HTTP feed.
public enum FeedLine {
    /// The event as one compact JSON object, without a line end.
    ///
    /// Keys: `cursor` (pass it to `--after` to continue after this event), `position`, `stream`,
    /// `version`, `id`, `type`, `schemaVersion`, `data`, `metadata`, `recordedAt` (ISO 8601 UTC,
    /// milliseconds). `data` is the stored JSON document embedded as is, never re-encoded or
    /// turned into a string, so consumers see exactly what was recorded.
    public static func jsonLine(_ event: RecordedEvent) -> String {
        var line = "{\"cursor\":\"\(event.cursor)\",\"position\":\(event.globalPosition)"
        line += ",\"stream\":" + quoted(event.streamId)
        line += ",\"version\":\(event.streamVersion)"
        line += ",\"id\":\"\(event.id.postgresText)\""
        line += ",\"type\":" + quoted(event.type)
        line += ",\"schemaVersion\":\(event.schemaVersion)"
        // jsonb renders on one line (newlines inside strings are escaped), so the line stays one line.
        line += ",\"data\":" + event.data
        line += ",\"metadata\":" + event.metadata.json
        line += ",\"recordedAt\":\"" + Timestamp.string(event.recordedAt) + "\"}"
        return line
    }

    static func quoted(_ text: String) -> String { JSONText.quoted(text) }
}
