import Copydesk
import Editorial
import EventStore
import Foundation
import LocalPostgres
import Postgres
import Timestamps

/// Copydesk's own work: workflow commands, imports and replay, measured end to end.
enum WorkflowCases {
    static let author = Actor(name: "bench-author", role: .author)
    static let editor = Actor(name: "bench-editor", role: .editor)

    /// Command number `iteration` of the mix the commands case (and its floor) sends to one
    /// article: an author's edit and an editor's comment in turn.
    static func command(_ iteration: Int, on article: UUID) -> WorkflowCommand {
        let action: ArticleCommand.Action =
            iteration % 2 == 0
            ? .edit(ContentChanges(body: "Body \(iteration) of a benchmark article"), note: nil)
            : .comment(text: "note \(iteration)")
        return WorkflowCommand(article: article, actor: iteration % 2 == 0 ? author : editor, action: action, origin: .cli)
    }

    /// The article each client of the commands case (and its floor) works on, drafted through Copydesk.
    static func draftArticles(_ app: CopydeskApp, count: Int) async throws -> [Article] {
        var articles: [Article] = []
        for _ in 0..<count {
            let id = UUID()
            articles.append(try await app.commands.handle(WorkflowCommand(
                article: id, actor: author,
                action: .draft(id: id, content: ArticleContent(title: "Bench", body: "Body"), originalDate: nil),
                origin: .cli)).article)
        }
        return articles
    }

    /// Imports seed-format articles (variations of the sample) with the importer for `duration`:
    /// as many clients at once as the importer writes batches at once, each importing one batch of
    /// files (one transaction) after another, so the latencies are those of a whole batch.
    static func importSeeds(
        _ database: BenchDatabase, clients: Int = SeedImporter.maximumConcurrentBatches, for duration: Duration
    ) async throws -> CaseResult {
        let app = CopydeskApp(pool: database.pool(size: clients))
        let folder = try writeSeedVariants()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Every import of the same files makes new articles (the importer gives each its own id).
        let files = try SeedImporter.files(in: [folder.path])
        let result = try await measure(clients: clients, for: duration, operationsPerCall: files.count) { _, _ in
            let outcomes = try await app.importer.importFiles(files, as: author)
            for outcome in outcomes {
                if case .failure(let error) = outcome.result { throw BenchError("import failed: \(error)") }
            }
        }
        return CaseResult(
            name: "import", value: result.rate, unit: "events/s", p50_ms: result.p50, p99_ms: result.p99,
            peak_rss_mb: peakResidentMegabytes())
    }

    /// Writes one batch of seed files (variations of the sample, `SeedImporter.chunkSize` of them)
    /// into a new folder under /tmp, which the caller removes.
    static func writeSeedVariants() throws -> URL {
        let sample = try String(contentsOf: sampleSeed, encoding: .utf8)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("copydesk-bench-seeds-\(getpid())")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let lines = sample.components(separatedBy: "\n")
        for index in 0..<SeedImporter.chunkSize {
            var variant = lines
            variant[0] += " \(index)"
            variant[3] += " \(index)"
            try variant.joined(separator: "\n").write(
                to: folder.appendingPathComponent(String(format: "%06d.txt", index)), atomically: false, encoding: .utf8)
        }
        return folder
    }

    /// Appends `count` events of real article streams (10 per article) in large batches, for replay.
    static func generateEvents(_ database: BenchDatabase, count: Int) async throws {
        let store = EventStore(pool: ConnectionPool(.init(
            conninfo: database.ownerConninfo, maximumConnections: 1,
            setupScript: "SET ROLE copydesk_service")))
        let start = Date.now.truncatedToMilliseconds
        var written = 0
        while written < count {
            var batch: [AppendRequest] = []
            for _ in 0..<200 where written < count {
                let id = UUID()
                var events: [ArticleEvent] = [
                    .drafted(ArticleDrafted(id: id, content: ArticleContent(title: "Generated", body: String(repeating: "Текст статьи. ", count: 30)), by: author.name, at: start))
                ]
                for edit in 1..<9 {
                    events.append(.edited(ArticleEdited(
                        changes: ContentChanges(body: "Правка \(edit) " + String(repeating: "слово ", count: 50)),
                        note: nil, sentBackToReview: false, startedPendingRevision: false, by: author.name, at: start)))
                }
                events.append(.commented(CommentAdded(text: "Готово", by: editor.name, at: start)))
                let take = min(events.count, count - written)
                batch.append(AppendRequest(
                    stream: ArticleStream.name(for: id), expectedVersion: .noStream,
                    events: ArticleStream.newEvents(Array(events.prefix(take))),
                    metadata: EventMetadata(actor: author.name, commandId: UUID(), origin: .cli)))
                written += take
            }
            _ = try await store.append(batch: batch)
        }
    }

    /// The sample article in the checkout's seeds/: the benchmark is run from the checkout it was
    /// built from (`swift run -c release copydesk-bench`). This file is Sources/CopydeskBench/WorkflowCases.swift.
    static let sampleSeed = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("seeds/000_5f9bf97b76e61b5f.txt")

    /// The `copydesk` binary built beside this one, which the replay case runs.
    static func replayBinary() throws -> URL {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("copydesk")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw BenchError(
                "the replay case runs \(binary.path), which is not built; run `swift build -c release` first")
        }
        return binary
    }

    /// Runs `copydesk replay` (release build, as a child process, with `--jobs` when given) and
    /// times it; the peak memory is the one it reports for itself (see `peakResidentMegabytes`
    /// for why not the kernel's figures for children). Its CPU time, and that of the PostgreSQL
    /// backends, go to stderr: with the wall time they show how busy the cores were.
    static func replay(_ database: BenchDatabase, events: Int, jobs: Int? = nil) async throws -> CaseResult {
        let cpuBefore = try await ChildCPUTime.now(database.ownerConninfo)
        let sampler = BackendCPUSampler()
        try await sampler.begin(database.ownerConninfo)
        let run = try await ChildRun.copydesk(
            ["replay"] + (jobs.map { ["--jobs", String($0)] } ?? []), conninfo: database.ownerConninfo)
        let elapsed = run.wallSeconds
        let backends = await sampler.end()
        let cpu = try await ChildCPUTime.now(database.ownerConninfo).since(cpuBefore)
        let name = jobs.map { "replay_jobs_\($0)" } ?? "replay"
        FileHandle.standardError.write(Data(("copydesk-bench: \(name): " + String(
            format: """
                %.1f s wall; CPU: copydesk replay %.1f s, its database's backends at least %.1f s (%.2f of %d \
                cores busy); the whole server's ended processes %.1f s
                """ + "\n",
            elapsed, cpu.child, backends, (cpu.child + backends) / elapsed,
            ProcessInfo.processInfo.activeProcessorCount, cpu.postgres)).utf8))
        guard let peak = run.output.firstMatch(of: /peak memory (\d+) MB/).flatMap({ Double($0.1) }) else {
            throw BenchError("copydesk replay did not report its peak memory: \(run.output)")
        }
        return CaseResult(
            name: name, value: Double(events) / elapsed, unit: "events/s", p50_ms: nil, p99_ms: nil,
            peak_rss_mb: peak)
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
