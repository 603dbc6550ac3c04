import Editorial
import EventStore
import Foundation
import Postgres
import Timestamps

/// Imports articles in the seed text format (DESIGN.md): each file becomes a draft by the acting
/// user, keeping every character of its text and its original date.
public struct SeedImporter: Sendable {
    public let service: CommandService

    public init(service: CommandService) {
        self.service = service
    }

    /// The outcome for one file: the new article's id, or why nothing was written for it.
    public struct FileOutcome: Sendable {
        public let file: String
        public let result: Result<UUID, WorkflowError>
        /// True when nothing was written because an article was already drafted with this very text (title,
        /// section, original date, lead and body): `result` holds that article's id.
        public var alreadyImported = false
    }

    /// The seed files named by `paths`: files as given, folders by their regular files in name order.
    public static func files(in paths: [String]) throws -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw WorkflowError.invalidInput("\(path): no such file or folder; nothing was imported")
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            let names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
            for name in names where !name.hasPrefix(".") {
                let file = (path as NSString).appendingPathComponent(name)
                var nestedIsDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: file, isDirectory: &nestedIsDirectory), !nestedIsDirectory.boolValue {
                    files.append(file)
                }
            }
        }
        return files
    }

    /// Articles appended per transaction (and per statement) when importing many files.
    public static let chunkSize = 200
    /// Batches written at once, each on its own pooled connection.
    public static let maximumConcurrentBatches = 4

    /// Imports the files as drafts. Every file is read and checked first; a malformed one is
    /// reported and writes nothing, the others go on. The valid ones are appended in batches,
    /// each batch (events, then its new projection rows by COPY) in one transaction; when the
    /// database refuses a batch, its files are tried one at a time, so only the one at fault fails.
    ///
    /// With `skippingImported`, a file whose text was drafted before (or earlier in the same call) writes
    /// nothing: its outcome is the existing article, marked `alreadyImported`. Without it (the desk, the bench),
    /// every file makes a new article.
    public func importFiles(
        _ files: [String], as actor: Actor, origin: Origin = .cli, correlationId: String? = nil,
        skippingImported: Bool = false
    ) async throws -> [FileOutcome] {
        var outcomes: [Int: FileOutcome] = [:]
        var drafts: [Draft] = []
        let now = service.now()
        for (index, file) in files.enumerated() {
            do {
                let id = UUID.timeOrdered()
                let change = try Self.draft(
                    try Self.read(file), id: id, by: actor, at: now, origin: origin, correlationId: correlationId)
                drafts.append(Draft(index: index, id: id, change: change, text: Self.draftedText(change)))
            } catch let error as WorkflowError {
                outcomes[index] = FileOutcome(file: file, result: .failure(error))
            } catch let refusal as Refusal {
                outcomes[index] = FileOutcome(file: file, result: .failure(.invalidInput("\(file): \(refusal)")))
            }
        }
        if skippingImported {
            for (index, id) in try await alreadyImported(drafts) {
                outcomes[index] = FileOutcome(file: files[index], result: .success(id), alreadyImported: true)
            }
            drafts.removeAll { outcomes[$0.index] != nil }
        }
        // Batches are independent transactions: several run at once, so the database's work on
        // them (full-text indexing, mostly) spreads over its cores.
        let chunks = stride(from: 0, to: drafts.count, by: Self.chunkSize).map {
            Array(drafts[$0..<min($0 + Self.chunkSize, drafts.count)])
        }
        let concurrency = max(1, min(service.store.pool.configuration.maximumConnections, Self.maximumConcurrentBatches))
        try await withThrowingTaskGroup(of: [(Int, FileOutcome)].self) { group in
            var next = 0
            func startNext() {
                guard next < chunks.count else { return }
                let chunk = chunks[next]
                next += 1
                group.addTask {
                    do {
                        try await appendDrafts(chunk)
                        return chunk.map { ($0.index, FileOutcome(file: files[$0.index], result: .success($0.id))) }
                    } catch let error as PostgresError where chunk.count > 1 && !error.isUnavailable {
                        // The batch was rolled back whole. One file's content can be the cause,
                        // so each file is tried again on its own: only the culprit fails.
                        var outcomes: [(Int, FileOutcome)] = []
                        for draft in chunk {
                            let file = files[draft.index]
                            do {
                                try await appendDrafts([draft])
                                outcomes.append((draft.index, FileOutcome(file: file, result: .success(draft.id))))
                            } catch let error as PostgresError {
                                outcomes.append((draft.index, Self.databaseFailure(error, file: file)))
                            }
                        }
                        return outcomes
                    } catch let error as PostgresError {
                        return chunk.map { ($0.index, Self.databaseFailure(error, file: files[$0.index])) }
                    }
                }
            }
            for _ in 0..<concurrency { startNext() }
            while let finished = try await group.next() {
                for (index, outcome) in finished { outcomes[index] = outcome }
                startNext()
            }
        }
        if !drafts.isEmpty { try await service.store.wakeSubscribers() }
        return files.indices.compactMap { outcomes[$0] }
    }

    private static func databaseFailure(_ error: PostgresError, file: String) -> FileOutcome {
        FileOutcome(file: file, result: .failure(.invalidInput("\(file): not imported, the database failed: \(error)")))
    }

    /// One valid file, decided: the article it creates and the change that creates it.
    private struct Draft: Sendable {
        let index: Int
        let id: UUID
        let change: ArticleChange
        /// The drafted event's data, which is the file's text and original date, and who drafted it when.
        let text: String
    }

    private static func draftedText(_ change: ArticleChange) -> String {
        change.append.events.first?.data ?? ""
    }

    /// The drafts whose text an earlier draft already has (that article's id, by the draft's file index), and
    /// those repeating a file before them in this call. Two drafts have the same text when their events' data
    /// are equal but for the id, who drafted it and when (sql/017 indexes that for drafted events).
    private func alreadyImported(_ drafts: [Draft]) async throws -> [(Int, UUID)] {
        guard !drafts.isEmpty else { return [] }
        let found = try await service.store.pool.withConnection { connection in
            try await connection.query(
                """
                SELECT DISTINCT ON (c.ordinal) c.ordinal::int AS ordinal, e.stream_id
                FROM unnest($1::text[]) WITH ORDINALITY AS c(data, ordinal)
                JOIN events AS e
                  ON e.event_type = 'ArticleDrafted'
                 AND md5((e.data - 'id' - 'by' - 'at')::text) = md5((c.data::jsonb - 'id' - 'by' - 'at')::text)
                ORDER BY c.ordinal, e.global_position
                """,
                [drafts.map(\.text)]
            ).rows.map { row in
                (try row.decode("ordinal", as: Int.self), try row.decode("stream_id", as: String.self))
            }
        }
        var imported: [(Int, UUID)] = []
        for (ordinal, stream) in found {
            if let id = ArticleStream.articleId(of: stream) { imported.append((drafts[ordinal - 1].index, id)) }
        }
        // A file repeating one before it in this call: the first of them is imported, the others point at it.
        let importedIndexes = Set(imported.map(\.0))
        var firstWithText: [String: Draft] = [:]
        for draft in drafts where !importedIndexes.contains(draft.index) {
            let key = Self.comparable(draft.text)
            if let first = firstWithText[key] {
                imported.append((draft.index, first.id))
            } else {
                firstWithText[key] = draft
            }
        }
        return imported
    }

    /// The drafted event's data without the fields that differ between two drafts of the same text.
    private static func comparable(_ data: String) -> String {
        guard var object = (try? JSONSerialization.jsonObject(with: Data(data.utf8))) as? [String: Any] else {
            return data
        }
        for key in ["id", "by", "at"] { object.removeValue(forKey: key) }
        let sorted = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return sorted.map { String(decoding: $0, as: UTF8.self) } ?? data
    }

    /// Appends the drafts in one statement and copies their projection rows in, in one transaction.
    private func appendDrafts(_ drafts: [Draft]) async throws {
        let store = service.store
        try await store.pool.transaction { connection in
            let results = try store.append(batch: drafts.map(\.change.append), on: connection)
            try Self.projection(of: drafts.map(\.change), positions: results.map(\.positions)).copy(on: connection)
        }
    }

    /// The draft of a new article `id` with a file's text, by `actor`.
    private static func draft(
        _ article: SeedArticle, id: UUID, by actor: Actor, at now: Date, origin: Origin, correlationId: String?
    ) throws -> ArticleChange {
        let command = ArticleCommand(
            actor: actor, at: now, action: .draft(id: id, content: article.content, originalDate: article.originalDate))
        let metadata = EventMetadata(
            actor: actor.name, commandId: .timeOrdered(), correlationId: correlationId, origin: origin,
            actorKind: actor.metadataKind)
        return try ArticleChange.decide(command, on: id, state: nil, metadata: metadata)
    }

    /// The projection rows of a batch of drafts, their events at `positions` (nil: not yet known).
    private static func projection(of changes: [ArticleChange], positions: [[Int64]?]) throws -> ProjectionBatch {
        var batch = ProjectionBatch()
        for (change, positions) in zip(changes, positions) {
            _ = try change.project(onto: nil, positions: positions, into: &batch)
        }
        return batch
    }

    /// One batch of `files` exactly as `importFiles` writes it, for the benchmark's floor
    /// (`copydesk-bench`, import_floor): the appends, sent as one `EventStore.batchAppendDocument`,
    /// then the projection rows by COPY. The append gives the events their global positions, so
    /// the audit log's rows, whose first column that is, hold NULL (`\N`) there until the sender
    /// puts each event's position in its place (one event per file, in the files' order).
    package func plannedBatch(_ files: [String], as actor: Actor) throws
        -> (appends: [AppendRequest], copies: [(sql: String, rows: CopyRows)])
    {
        let now = service.now()
        let changes = try files.map { file in
            try Self.draft(Self.read(file), id: UUID.timeOrdered(), by: actor, at: now, origin: .cli, correlationId: nil)
        }
        let projection = try Self.projection(of: changes, positions: changes.map { _ in nil })
        return (changes.map(\.append), projection.copies())
    }

    /// Reads and parses one seed file; errors name the file (and the line when the format is wrong).
    static func read(_ file: String) throws -> SeedArticle {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw WorkflowError.invalidInput("\(file): cannot read the file; nothing was imported from it")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw WorkflowError.invalidInput("\(file): not UTF-8 text; nothing was imported from it")
        }
        do {
            return try SeedArticle.parse(text)
        } catch {
            throw WorkflowError.invalidInput("\(file):\(error.line): \(error.message); nothing was imported from it")
        }
    }
}
