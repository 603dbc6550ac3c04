import Editorial
import EventStore
import Foundation
import Postgres

/// Generates a long history quickly: articles that each live through one newsroom lifecycle
/// (draft, edits, review with a request for changes, approval, publication, a revision, comments),
/// written by set-based SQL inside PostgreSQL rather than through the command path.
///
/// The lifecycle is decided once, in Swift, by the real decider on a placeholder article; its
/// events' JSON becomes a template in which PostgreSQL substitutes each article's id, number,
/// people, times and fresh event and command ids. Every stream gets a valid hash chain (computed
/// with the store's own `event_hash`, version by version), its `streams` row and one `commands`
/// row per event, as the command path would have left them. Articles are written a group at a
/// time, each group's events interleaved version by version, so every stretch of the log holds
/// the same mix of drafts, edits and comments. Projections are not written here: `copydesk
/// replay` builds them, which the benchmark measures anyway.
struct HistoryGenerator {
    /// Articles per group (per call of the generating function, one transaction).
    static let groupSize = 1_000
    /// The ten years the history spans, ending now.
    static let years = 10

    let template: [Step]

    /// One event of the lifecycle, with the placeholders PostgreSQL replaces per article.
    struct Step {
        let version: Int
        let type: String
        let schemaVersion: Int
        let data: String
        let metadata: String
        /// The placeholder time of this step, as written in `data`.
        let atText: String
        /// Minutes after the article's first event.
        let minutes: Int
    }

    /// Events per article.
    var eventsPerArticle: Int { template.count }

    static let placeholderArticle = UUID(uuidString: "00000000-0000-4000-8000-00000000a001")!
    static let author = Actor(name: "bench-author", role: .author)
    static let editor = Actor(name: "bench-editor", role: .editor)
    static let publisher = Actor(name: "bench-publisher", role: .publisher)

    /// Decides the lifecycle on the placeholder article, from `sample` (an article-sized text).
    init(sample: SeedArticle) throws {
        let id = Self.placeholderArticle
        let body = sample.body
        let paragraphs = body.components(separatedBy: "\n\n")
        func rewritten(_ index: Int) -> String {
            // A real edit: one paragraph rewritten, the rest of the text as it was.
            var changed = paragraphs
            let at = index % max(changed.count, 1)
            changed[at] = "Правка @N@-\(index). " + changed[at]
            return changed.joined(separator: "\n\n")
        }
        let steps: [(Actor, ArticleCommand.Action)] = [
            (Self.author, .draft(
                id: id,
                content: ArticleContent(
                    title: sample.title + " №@N@", lead: sample.lead, body: "@N@. " + body, section: sample.section,
                    tags: ["архив", "выпуск-@N@"]),
                originalDate: nil)),
            (Self.author, .edit(ContentChanges(body: rewritten(1)), note: nil)),
            (Self.editor, .comment(text: "Проверьте даты во втором абзаце.")),
            (Self.author, .edit(ContentChanges(title: sample.title + " (уточнено) №@N@"), note: "заголовок")),
            (Self.author, .submit),
            (Self.editor, .comment(text: "Читаю.")),
            (Self.editor, .requestChanges(reason: "Нужен источник для цитаты в третьем абзаце.")),
            (Self.author, .edit(ContentChanges(body: rewritten(2)), note: "источник добавлен")),
            (Self.author, .comment(text: "Источник добавлен, см. третий абзац.")),
            (Self.author, .submit),
            (Self.editor, .comment(text: "Спасибо, смотрю.")),
            (Self.editor, .approve(note: "В номер.")),
            (Self.publisher, .publish(at: nil)),
            (Self.editor, .comment(text: "Читатели просят уточнить подпись к фото.")),
            (Self.author, .edit(ContentChanges(lead: sample.lead + " Обновлено."), note: "уточнение")),
            (Self.author, .submit),
            (Self.editor, .approve(note: nil)),
            (Self.publisher, .publish(at: nil)),
        ] + (0..<10).map { index in
            (index % 2 == 0 ? Self.editor : Self.author, ArticleCommand.Action.comment(text: "Заметка \(index) к №@N@."))
        } + [
            (Self.author, .edit(ContentChanges(body: rewritten(3)), note: "поправка")),
            (Self.editor, .comment(text: "Поправку видел.")),
        ]

        var state: Article?
        var template: [Step] = []
        for (index, (actor, action)) in steps.enumerated() {
            let version = index + 1
            let minutes = index * 37  // about a day from draft to the last note
            let at = Date(timeIntervalSince1970: 86_400 + Double(index) * 60)
            let events: [ArticleEvent]
            do {
                events = try ArticleDecider.decide(ArticleCommand(actor: actor, at: at, action: action), state: state)
            } catch {
                throw BenchError("the history template's step \(version) was refused: \(error)")
            }
            guard events.count == 1, let event = events.first else {
                throw BenchError("the history template's step \(version) made \(events.count) events, not one")
            }
            state = ArticleDecider.evolve(state, event)
            let encoded = event.encoded()
            let commandId = Self.placeholderCommand(version)
            let metadata = EventMetadata(
                actor: actor.name, commandId: commandId, correlationId: commandId.lowercased,
                causationId: commandId.lowercased, origin: .http)
            template.append(Step(
                version: version, type: encoded.type, schemaVersion: ArticleEvent.schemaVersion, data: encoded.data,
                metadata: metadata.json, atText: EventTimestamp.string(from: at), minutes: minutes))
        }
        self.template = template
    }

    static func placeholderCommand(_ version: Int) -> UUID {
        UUID(uuidString: String(format: "00000000-0000-4000-8000-0000000c%04d", version))!
    }

    /// Creates the template table and the generating function in the benchmark's database.
    func install(on connection: isolated Connection) throws {
        try connection.executeScript(
            """
            CREATE UNLOGGED TABLE bench_history_template (
                version int PRIMARY KEY, event_type text NOT NULL, schema_version int NOT NULL, data text NOT NULL,
                metadata text NOT NULL, at_text text NOT NULL, command_text text NOT NULL, minutes int NOT NULL);
            """)
        for step in template {
            try connection.query(
                "INSERT INTO bench_history_template VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                [step.version, step.type, step.schemaVersion, step.data, step.metadata, step.atText,
                 Self.placeholderCommand(step.version).lowercased, step.minutes])
        }
        try connection.executeScript(Self.generatingFunction)
    }

    /// `bench_history_group(first, count, total)`: writes articles `first ..< first + count` of
    /// `total`, version by version. Reads and writes the session's `bench_group` (a temporary table).
    static let generatingFunction = """
        CREATE FUNCTION bench_history_group(p_first bigint, p_count int, p_total bigint) RETURNS void
        LANGUAGE plpgsql AS $$
        DECLARE
            v_versions int := (SELECT max(version) FROM bench_history_template);
            v_start timestamptz := now() - interval '\(years) years';
            v_span interval := interval '\(years) years' - interval '2 days';
        BEGIN
            TRUNCATE bench_group;
            INSERT INTO bench_group
            SELECT k, id, 'article-' || id, date_trunc('milliseconds', v_start + v_span * (k::float8 / p_total)), NULL
            FROM (SELECT k, gen_random_uuid() AS id FROM generate_series(p_first, p_first + p_count - 1) AS k) AS a;
            FOR v IN 1..v_versions LOOP
                WITH step AS (SELECT * FROM bench_history_template WHERE version = v),
                draft AS (
                    SELECT g.k, g.stream, g.previous, gen_random_uuid() AS event_id, gen_random_uuid() AS command_id,
                           g.born + s.minutes * interval '1 minute' AS at, g.id, s.*
                    FROM bench_group AS g CROSS JOIN step AS s),
                doc AS (
                    SELECT d.*,
                        replace(replace(replace(replace(replace(replace(replace(d.data,
                            '\(placeholderArticle.uuidString)', upper(d.id::text)),
                            '\(placeholderArticle.lowercased)', d.id::text),
                            d.at_text, to_char(d.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
                            '@N@', d.k::text),
                            'bench-author', 'author' || (d.k % 40)),
                            'bench-editor', 'editor' || (d.k % 12)),
                            'bench-publisher', 'publisher' || (d.k % 5))::jsonb AS data_json,
                        replace(replace(replace(replace(d.metadata,
                            d.command_text, d.command_id::text),
                            'bench-author', 'author' || (d.k % 40)),
                            'bench-editor', 'editor' || (d.k % 12)),
                            'bench-publisher', 'publisher' || (d.k % 5))::jsonb AS metadata_json
                    FROM draft AS d),
                appended AS (
                    INSERT INTO events (stream_id, stream_version, event_id, event_type, schema_version, data,
                                        metadata, recorded_at, previous_hash, hash)
                    SELECT stream, v, event_id, event_type, schema_version, data_json, metadata_json, at, previous,
                           event_hash(previous, stream, v, event_id, event_type, schema_version, data_json,
                                      metadata_json, at)
                    FROM doc ORDER BY k
                    RETURNING stream_id, event_id, global_position, hash),
                handled AS (
                    INSERT INTO commands (command_id, stream_id, first_version, last_version, first_position,
                                          last_position, recorded_at)
                    SELECT d.command_id, d.stream, v, v, a.global_position, a.global_position, d.at
                    FROM doc AS d JOIN appended AS a USING (event_id))
                UPDATE bench_group AS g SET previous = a.hash FROM appended AS a WHERE g.stream = a.stream_id;
            END LOOP;
            INSERT INTO streams (stream_id, version) SELECT stream, v_versions FROM bench_group;
        END
        $$;
        """

    /// Writes `articles` articles in groups on `connections` connections side by side, reporting
    /// after each group how many events are written.
    func generate(
        articles: Int, conninfo: String, connections: Int, progress: @escaping @Sendable (Int) -> Void
    ) async throws {
        let groups = (articles + Self.groupSize - 1) / Self.groupSize
        let next = GroupCounter(groups: groups)
        let perArticle = eventsPerArticle
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            for _ in 0..<connections {
                tasks.addTask {
                    let connection = try await Connection.connect(to: conninfo)
                    defer { Task { await connection.close() } }
                    try await connection.perform { connection in
                        try connection.executeScript(
                            """
                            SET synchronous_commit = off;
                            CREATE TEMP TABLE bench_group (k bigint, id uuid, stream text, born timestamptz, previous bytea);
                            """)
                    }
                    while let group = await next.take() {
                        let first = group * Self.groupSize
                        let count = min(Self.groupSize, articles - first)
                        try await connection.perform { connection in
                            try connection.query("SELECT bench_history_group($1, $2, $3)", [first, count, articles])
                        }
                        progress(await next.finished(count * perArticle))
                    }
                }
            }
            try await tasks.waitForAll()
        }
    }
}

/// Hands out group numbers to the generating connections and counts the events written.
actor GroupCounter {
    private let groups: Int
    private var taken = 0
    private var events = 0

    init(groups: Int) { self.groups = groups }

    func take() -> Int? {
        guard taken < groups else { return nil }
        defer { taken += 1 }
        return taken
    }

    func finished(_ count: Int) -> Int {
        events += count
        return events
    }
}
