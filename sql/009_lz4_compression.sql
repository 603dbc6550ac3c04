-- Long texts are compressed with lz4 instead of pglz, where the server supports it.
--
-- Values over about 2 KB (article texts, their revisions and events, search vectors) are
-- compressed when stored; with pglz that was an eighth of the database's time when importing the
-- 2,300-character sample article, several times what lz4 takes, for a little less space saved.
-- Only values written from now on are affected. A server built without lz4 keeps pglz.
DO $$
BEGIN
    ALTER TABLE events ALTER COLUMN data SET COMPRESSION lz4;
    ALTER TABLE articles ALTER COLUMN lead SET COMPRESSION lz4, ALTER COLUMN body SET COMPRESSION lz4,
        ALTER COLUMN live_lead SET COMPRESSION lz4, ALTER COLUMN live_body SET COMPRESSION lz4;
    ALTER TABLE revisions ALTER COLUMN lead SET COMPRESSION lz4, ALTER COLUMN body SET COMPRESSION lz4;
    ALTER TABLE article_search ALTER COLUMN search SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'this PostgreSQL has no lz4 compression; long texts stay compressed with pglz';
END
$$;
