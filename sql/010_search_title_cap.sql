-- Search vectors index at most the first 10,000 characters of a title, as they index at most the
-- first 200,000 of the lead and body: a tsvector holds at most 1 MB, and a title of a megabyte
-- made the article's write fail ("string is too long for tsvector"), over HTTP as a 500 and in an
-- import for every file of its batch.

CREATE OR REPLACE FUNCTION article_search_vector(p_title text, p_lead text, p_body text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT setweight(to_tsvector('russian', left(p_title, 10000)), 'A')
        || setweight(to_tsvector('russian', left(p_lead || ' ' || p_body, 200000)), 'B')
$$;

-- Only titles past the cap index differently now; replay and verify must find the same vectors.
UPDATE article_search AS s SET search = article_search_vector(a.title, a.lead, a.body)
FROM articles AS a WHERE a.id = s.article_id AND length(a.title) > 10000;
