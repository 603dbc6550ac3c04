-- `copydesk import` does not import a file twice: it looks for an article drafted with the same text (the
-- drafted event's data but for the article id, who drafted it and when). This index finds it without
-- reading every drafted event; it is derived from the events alone, so replay and verify are unaffected.
CREATE INDEX events_drafted_text ON events (md5((data - 'id' - 'by' - 'at')::text))
    WHERE event_type = 'ArticleDrafted';
