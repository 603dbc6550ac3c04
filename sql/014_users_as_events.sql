-- People are part of the history (issue 13, point 1).
--
-- Adding a user, changing a role, disabling, enabling and issuing or revoking tokens are events in
-- a stream per user (`user-<name>`), through the same event store, hash chain and audit log as
-- articles. `users` becomes a projection of those streams that `replay` rebuilds; the tokens'
-- secret hashes move to `user_tokens`, the only primary data left about people (an event records
-- a token's lookup id, never its hash: the feed and the audit export carry every event's data).
--
-- Every existing user gets their history now: a UserAdded at the time they were added and a
-- TokenIssued for their token, by `migration`, a system actor.

-- Token secrets: found by lookup id, compared in constant time by the service. Whether a token
-- still works is the projection's `users.active_tokens`, decided by the events.
CREATE TABLE user_tokens (
    token_id     text        PRIMARY KEY,
    user_name    text        NOT NULL,
    token_hash   bytea       NOT NULL,
    issued_at    timestamptz NOT NULL DEFAULT now(),
    -- When the token last signed a request in (kept to the minute): `user list` shows it.
    last_used_at timestamptz
);
CREATE INDEX user_tokens_user ON user_tokens (user_name);
INSERT INTO user_tokens (token_id, user_name, token_hash, issued_at)
SELECT token_selector, name, token_hash, created_at FROM users;

-- The audit log also holds rows about users: exactly one of article_id and user_name is set.
ALTER TABLE audit_log ALTER COLUMN article_id DROP NOT NULL;
ALTER TABLE audit_log ADD COLUMN user_name text;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_one_subject CHECK ((article_id IS NULL) <> (user_name IS NULL));
ALTER TABLE audit_log ADD CONSTRAINT audit_log_user_name_version_key UNIQUE (user_name, version);

-- The users projection: the state the events leave each user in.
ALTER TABLE users ADD COLUMN disabled boolean NOT NULL DEFAULT false;
ALTER TABLE users ADD COLUMN active_tokens text[] NOT NULL DEFAULT '{}';
ALTER TABLE users ADD COLUMN updated_at timestamptz;
ALTER TABLE users ADD COLUMN version bigint NOT NULL DEFAULT 0;

-- Each existing user's first two events, their projection row and their audit rows.
DO $$
DECLARE
    v_user record;
    v_command uuid;
    v_at text;
    v_metadata jsonb;
    v_appended record;
BEGIN
    FOR v_user IN SELECT name, role, token_selector, date_trunc('milliseconds', created_at) AS created_at
                  FROM users ORDER BY created_at, name
    LOOP
        v_command := gen_random_uuid();
        v_at := to_char(v_user.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
        v_metadata := jsonb_build_object(
            'actor', 'migration', 'commandId', v_command, 'correlationId', v_command::text,
            'causationId', v_command::text, 'origin', 'cli', 'actorKind', 'system');
        SELECT * INTO v_appended FROM append_events('user-' || v_user.name, 0, v_command, jsonb_build_array(
            jsonb_build_object(
                'id', gen_random_uuid(), 'type', 'UserAdded', 'schemaVersion', 1, 'metadata', v_metadata,
                'data', jsonb_build_object('name', v_user.name, 'role', v_user.role, 'by', 'migration', 'at', v_at)),
            jsonb_build_object(
                'id', gen_random_uuid(), 'type', 'TokenIssued', 'schemaVersion', 1, 'metadata', v_metadata,
                'data', jsonb_build_object('tokenId', v_user.token_selector, 'by', 'migration', 'at', v_at))));
        UPDATE users SET created_at = v_user.created_at, updated_at = v_user.created_at, version = 2,
                         active_tokens = ARRAY[v_user.token_selector]
        WHERE name = v_user.name;
        INSERT INTO audit_log (global_position, article_id, user_name, version, event_type, action, actor, actor_kind,
                               at, status_before, status_after, changed, reason, note, origin, command_id,
                               correlation_id)
        VALUES (v_appended.positions[1], NULL, v_user.name, 1, 'UserAdded', 'add-user', 'migration', 'system',
                v_user.created_at, NULL, 'active', '{role,state}', NULL, 'role ' || v_user.role, 'cli', v_command,
                v_command::text),
               (v_appended.positions[2], NULL, v_user.name, 2, 'TokenIssued', 'issue-token', 'migration', 'system',
                v_user.created_at, 'active', 'active', '{tokens}', NULL, 'token ' || v_user.token_selector, 'cli',
                v_command, v_command::text);
    END LOOP;
END
$$;

ALTER TABLE users DROP COLUMN token_selector;
ALTER TABLE users DROP COLUMN token_hash;
ALTER TABLE users ALTER COLUMN created_at DROP DEFAULT;
UPDATE users SET updated_at = created_at WHERE updated_at IS NULL;
ALTER TABLE users ALTER COLUMN updated_at SET NOT NULL;
ALTER TABLE users ALTER COLUMN version DROP DEFAULT;

GRANT SELECT, INSERT, UPDATE, DELETE ON users, user_tokens TO copydesk_service;
