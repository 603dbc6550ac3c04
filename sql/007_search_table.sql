-- Search vectors move out of the articles table into their own, written only when an article's
-- text changes.
--
-- Every command rewrites its article's row (version, updated_at, ...), and since updated_at is
-- indexed PostgreSQL cannot update the row in place: the new row version gets an entry in every
-- index, and in the GIN index on the search vector that is one entry per distinct word, hundreds
-- for a real article. A comment, submit or approval of the 2,000-character sample article cost
-- 2.5 times the same command on a short one (pgbench, 8 clients, the row update alone: 7,500 vs
-- 19,400/s). Without the vector in the row it costs what a short one does (20,100/s).

CREATE TABLE article_search (
    article_id uuid PRIMARY KEY,
    search     tsvector NOT NULL
);

INSERT INTO article_search (article_id, search)
SELECT id, coalesce(search, article_search_vector(title, lead, body)) FROM articles;

DROP TRIGGER articles_search ON articles;
DROP FUNCTION articles_set_search();
ALTER TABLE articles DROP COLUMN search;

-- Created after the copy, in one pass.
CREATE INDEX article_search_words ON article_search USING gin (search);

GRANT SELECT, INSERT, UPDATE, DELETE ON article_search TO copydesk_service;

-- Writes the search rows of the articles a statement inserted (a statement-level trigger, so a
-- COPY of thousands of rows runs one INSERT) or whose text an update changed (a row-level
-- trigger whose WHEN clause keeps every other update from calling it).
--
-- The rows go to the search table beside the articles table the trigger fires on: article_search
-- for articles (statements written out, so each session plans them once), article_search_replay
-- for the articles_replay that replay fills (it copies these triggers; a statement per COPY).
CREATE FUNCTION articles_index_search() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME <> 'articles' THEN
        -- Replay loading its table, which it only ever inserts into, once per article; the search
        -- table beside it gets its primary key once filled, so it takes no conflict clause.
        EXECUTE format('INSERT INTO %I.%I (article_id, search) '
                       'SELECT id, article_search_vector(title, lead, body) FROM inserted_articles',
                       TG_TABLE_SCHEMA, replace(TG_TABLE_NAME, 'articles', 'article_search'));
    ELSIF TG_LEVEL = 'ROW' THEN
        INSERT INTO article_search (article_id, search)
        VALUES (NEW.id, article_search_vector(NEW.title, NEW.lead, NEW.body))
        ON CONFLICT (article_id) DO UPDATE SET search = EXCLUDED.search;
    ELSE
        INSERT INTO article_search (article_id, search)
        SELECT id, article_search_vector(title, lead, body) FROM inserted_articles
        ON CONFLICT (article_id) DO UPDATE SET search = EXCLUDED.search;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER articles_search_inserted AFTER INSERT ON articles
    REFERENCING NEW TABLE AS inserted_articles
    FOR EACH STATEMENT EXECUTE FUNCTION articles_index_search();

CREATE TRIGGER articles_search_text_changed AFTER UPDATE ON articles
    FOR EACH ROW
    WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.lead IS DISTINCT FROM NEW.lead
          OR OLD.body IS DISTINCT FROM NEW.body)
    EXECUTE FUNCTION articles_index_search();
