-- The desk (issue 14): passwords to sign in with, and the sessions signing in opens.
--
-- Neither table refers to `users` by a foreign key: users are becoming a projection rebuilt from
-- their own events, and a projection's table may be rebuilt and swapped; a session or password
-- whose user row is missing simply matches nobody (the session lookup joins `users`).

-- One bcrypt hash per user (of a SHA-256 of the password: see Passwords.swift). Never the password.
CREATE TABLE user_passwords (
    user_name     text        PRIMARY KEY,
    password_hash text        NOT NULL CHECK (password_hash LIKE '$2%'),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- A signed-in browser. Only a SHA-256 of the session id is stored, so a copy of this table opens
-- no session; any `copydesk serve` node finds the row, so any node serves any session.
CREATE TABLE desk_sessions (
    id_hash    bytea       PRIMARY KEY CHECK (length(id_hash) = 32),
    user_name  text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    -- Touched at most once a minute by the lookup; a session idle past the limit matches nobody.
    last_seen  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX desk_sessions_user ON desk_sessions (user_name);
CREATE INDEX desk_sessions_last_seen ON desk_sessions (last_seen);

GRANT SELECT, INSERT, UPDATE, DELETE ON user_passwords, desk_sessions TO copydesk_service;
