-- No dead ends (issue 15, point 1): a withdrawn text can be published again and an archived
-- article restored, so the article's row keeps the text that was live last, after it is withdrawn.
--
-- Both backfills apply the projection's own rules to the stored events, so `replay` rebuilds
-- these rows identically: the content of the article's latest ArticlePublished event, and the
-- scheduled time on the audit rows of schedulings ("scheduled for" and the event's own text).

ALTER TABLE articles ADD COLUMN last_live_content jsonb;

UPDATE articles AS a SET last_live_content = p.content
FROM (
    SELECT DISTINCT ON (stream_id) stream_id, data -> 'content' AS content
    FROM events
    WHERE event_type = 'ArticlePublished'
    ORDER BY stream_id, stream_version DESC
) AS p
WHERE p.stream_id = 'article-' || a.id::text;

UPDATE audit_log AS l SET note = 'scheduled for ' || (e.data ->> 'scheduledFor')
FROM events AS e
WHERE l.event_type = 'PublicationScheduled' AND e.global_position = l.global_position;
