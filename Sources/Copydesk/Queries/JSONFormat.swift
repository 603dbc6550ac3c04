import Foundation
import Timestamps

/// The JSON Copydesk writes for people and programs (CLI `--json`, the HTTP API): keys sorted,
/// times as `Timestamp` writes them (ISO 8601 UTC, milliseconds), slashes unescaped, ids in lowercase.
public enum JSONFormat {
    public static func encoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting =
            pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.string(date))
        }
        return encoder
    }
}
