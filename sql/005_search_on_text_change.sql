-- The search vector of an article is computed only when its text changes.
--
-- As a generated column it was recomputed on every write of the row, so a comment, a submit or
-- an approval of a long article spent more time stemming its text twice (Russian and English)
-- than on everything else the command does. A trigger now computes it on insert, and on update
-- only when the title, lead or body changed. Writers never set it themselves.

CREATE FUNCTION article_search_vector(p_title text, p_lead text, p_body text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    -- tsvector holds at most 1 MB, so very long bodies are indexed by their first 200,000 characters.
    SELECT setweight(to_tsvector('russian', p_title), 'A') || setweight(to_tsvector('english', p_title), 'A')
        || setweight(to_tsvector('russian', left(p_lead || ' ' || p_body, 200000)), 'B')
        || setweight(to_tsvector('english', left(p_lead || ' ' || p_body, 200000)), 'B')
$$;

ALTER TABLE articles ALTER COLUMN search DROP EXPRESSION;

CREATE FUNCTION articles_set_search() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.title IS DISTINCT FROM OLD.title OR NEW.lead IS DISTINCT FROM OLD.lead
       OR NEW.body IS DISTINCT FROM OLD.body THEN
        NEW.search := article_search_vector(NEW.title, NEW.lead, NEW.body);
    ELSE
        NEW.search := OLD.search;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER articles_search BEFORE INSERT OR UPDATE ON articles
    FOR EACH ROW EXECUTE FUNCTION articles_set_search();
