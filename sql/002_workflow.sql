-- Users and the projections of the editorial workflow. Every projection here can be rebuilt
-- from the events alone (`copydesk replay`); only `users` is primary data.

-- People who act on articles. API tokens are `<selector>.<secret>`: the selector finds the row,
-- and only a SHA-256 of the secret is kept, compared in constant time by the service.
CREATE TABLE users (
    name           text        PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_.-]{0,62}$'),
    role           text        NOT NULL CHECK (role IN ('author', 'editor', 'publisher', 'admin')),
    token_selector text        NOT NULL UNIQUE,
    token_hash     bytea       NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- The current state of every article: its working text, and the live text when published.
CREATE TABLE articles (
    id               uuid        PRIMARY KEY,
    status           text        NOT NULL,
    version          bigint      NOT NULL,
    title            text        NOT NULL,
    lead             text        NOT NULL,
    body             text        NOT NULL,
    section          text        NOT NULL,
    tags             text[]      NOT NULL,
    author           text        NOT NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    original_date    date,
    -- The published text, while the article is live (all NULL otherwise).
    live_title       text,
    live_lead        text,
    live_body        text,
    live_section     text,
    live_tags        text[],
    live_published_at timestamptz,
    live_published_by text,
    pending_revision boolean     NOT NULL,
    contributors     text[]      NOT NULL,
    scheduled_for    timestamptz,
    -- Full-text search in Russian and English. tsvector holds at most 1 MB, so very long bodies
    -- are indexed by their first 200,000 characters.
    search           tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('russian', title), 'A') || setweight(to_tsvector('english', title), 'A')
        || setweight(to_tsvector('russian', left(lead || ' ' || body, 200000)), 'B')
        || setweight(to_tsvector('english', left(lead || ' ' || body, 200000)), 'B')
    ) STORED
);

CREATE INDEX articles_status ON articles (status, updated_at DESC);
CREATE INDEX articles_author ON articles (author, updated_at DESC);
CREATE INDEX articles_updated ON articles (updated_at DESC, id);
CREATE INDEX articles_search ON articles USING gin (search);

-- The full text of every revision: one row per event that changed the content.
CREATE TABLE revisions (
    article_id uuid        NOT NULL,
    version    bigint      NOT NULL,
    title      text        NOT NULL,
    lead       text        NOT NULL,
    body       text        NOT NULL,
    section    text        NOT NULL,
    tags       text[]      NOT NULL,
    author     text        NOT NULL,
    at         timestamptz NOT NULL,
    PRIMARY KEY (article_id, version)
);

-- Who did what, when, why and from where: one row per event.
CREATE TABLE audit_log (
    global_position bigint      PRIMARY KEY,
    article_id      uuid        NOT NULL,
    version         bigint      NOT NULL,
    event_type      text        NOT NULL,
    action          text        NOT NULL,
    actor           text        NOT NULL,
    at              timestamptz NOT NULL,
    status_before   text,
    status_after    text        NOT NULL,
    changed         text[]      NOT NULL,
    reason          text,
    note            text,
    origin          text        NOT NULL,
    command_id      uuid        NOT NULL,
    correlation_id  text        NOT NULL,
    UNIQUE (article_id, version)
);

CREATE INDEX audit_log_actor ON audit_log (actor, at);
CREATE INDEX audit_log_at ON audit_log (at);

GRANT SELECT, INSERT, UPDATE ON users TO copydesk_service;
GRANT SELECT, INSERT, UPDATE, DELETE ON articles, revisions, audit_log TO copydesk_service;
