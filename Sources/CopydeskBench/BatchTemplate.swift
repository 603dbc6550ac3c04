import EventStore
import Foundation
import Postgres

/// One import batch as Copydesk built it (the append's document and the projection rows' COPY
/// text), kept as bytes with holes where each send needs its own values: the ids of the
/// articles, commands and events (unique in the database), and the global position that
/// begins each audit row (given by the append).
struct BatchTemplate: Sendable {
    struct Copy: Sendable {
        let sql: String
        let text: TemplateText
    }

    let document: TemplateText
    let copies: [Copy]
    let idCount: Int

    /// A batch's values filled in: fresh ids, and (for the rows) the positions its append returned.
    struct Fresh {
        let appendDocument: String
        let ids: [(lower: [UInt8], upper: [UInt8])]

        func rows(of copy: Copy, positions: [Int64]) -> CopyRows {
            CopyRows(copyText: copy.text.filled(ids: ids, positions: positions))
        }
    }

    init(appends: [AppendRequest], copies: [(sql: String, rows: CopyRows)]) throws {
        var ids: [String: Int] = [:]
        func add(_ id: UUID) { ids[id.uuidString.lowercased()] = ids.count }
        for append in appends {
            guard let article = ArticleStreamName.articleId(of: append.stream) else {
                throw BenchError("the import floor expected article streams, not \(append.stream)")
            }
            add(article)
            add(append.metadata.commandId)
            for event in append.events { add(event.id) }
        }
        idCount = ids.count
        document = TemplateText(Array(try EventStore.batchAppendDocument(appends).utf8), ids: ids, positionsAtRowStarts: false)
        self.copies = copies.map { copy in
            Copy(
                sql: copy.sql,
                text: TemplateText(copy.rows.bytes, ids: ids, positionsAtRowStarts: copy.sql.contains("audit_log")))
        }
        guard document.distinctIds == idCount else {
            throw BenchError("the import floor found \(document.distinctIds) of \(idCount) ids in the append")
        }
    }

    func fresh() -> Fresh {
        let ids = (0..<idCount).map { _ in
            let upper = UUID.timeOrdered().uuidString  // as the importer makes them
            return (lower: Array(upper.lowercased().utf8), upper: Array(upper.utf8))
        }
        return Fresh(appendDocument: String(decoding: document.filled(ids: ids, positions: []), as: UTF8.self), ids: ids)
    }
}

/// The article id in a stream name (`article-<uuid>`), read here rather than with Copydesk's
/// code so that the template does not depend on more of it than the bytes it was given.
private enum ArticleStreamName {
    static func articleId(of stream: String) -> UUID? {
        guard stream.hasPrefix("article-") else { return nil }
        return UUID(uuidString: String(stream.dropFirst("article-".count)))
    }
}

/// Bytes with holes: pieces of text between ids and positions to fill in.
struct TemplateText: Sendable {
    enum Hole: Sendable {
        case id(Int, uppercase: Bool)
        /// The position of the event of row `n` (COPY text whose rows begin with NULL, `\N`).
        case position(Int)
    }

    private var pieces: [[UInt8]] = []
    private var holes: [Hole] = []
    private let size: Int

    /// How many different ids it has holes for.
    var distinctIds: Int {
        Set(holes.compactMap { hole -> Int? in if case .id(let id, _) = hole { id } else { nil } }).count
    }

    /// Finds every id of `ids` (by its lowercase text; written in either case) in `bytes`, and with
    /// `positionsAtRowStarts` the NULL that begins each row.
    init(_ bytes: [UInt8], ids: [String: Int], positionsAtRowStarts: Bool) {
        size = bytes.count
        let dash = UInt8(ascii: "-")
        var pieceStart = 0
        var row = 0
        var index = 0
        func hole(_ hole: Hole, length: Int) {
            pieces.append(Array(bytes[pieceStart..<index]))
            holes.append(hole)
            index += length
            pieceStart = index
        }
        while index < bytes.count {
            let atRowStart = index == 0 || bytes[index - 1] == UInt8(ascii: "\n")
            if positionsAtRowStarts, atRowStart, index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                bytes[index + 1] == UInt8(ascii: "N")
            {
                hole(.position(row), length: 2)
                row += 1
                continue
            }
            if index + 36 <= bytes.count, bytes[index + 8] == dash, bytes[index + 13] == dash,
                bytes[index + 18] == dash, bytes[index + 23] == dash
            {
                let text = String(decoding: bytes[index..<index + 36], as: UTF8.self)
                let lower = text.lowercased()
                if let id = ids[lower] {
                    hole(.id(id, uppercase: text != lower), length: 36)
                    continue
                }
            }
            index += 1
        }
        pieces.append(Array(bytes[pieceStart...]))
    }

    func filled(ids: [(lower: [UInt8], upper: [UInt8])], positions: [Int64]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(size + holes.count * 4)
        for (piece, hole) in zip(pieces, holes) {
            bytes.append(contentsOf: piece)
            switch hole {
            case .id(let id, let uppercase): bytes.append(contentsOf: uppercase ? ids[id].upper : ids[id].lower)
            case .position(let row): bytes.append(contentsOf: String(positions[row]).utf8)
            }
        }
        bytes.append(contentsOf: pieces[pieces.count - 1])
        return bytes
    }
}
