-- The event store: an append-only log of every event, with per-stream optimistic concurrency,
-- command idempotency and a global order that readers can follow without gaps.

-- The role the service runs as (after SET ROLE): it may append and read events, never rewrite them.
DO $$
BEGIN
    CREATE ROLE copydesk_service NOLOGIN;
EXCEPTION
    -- Another database in this cluster created it first (the role is cluster-wide).
    WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;

-- Let the owner (who runs migrations and connects) switch to the service role.
DO $$
BEGIN
    IF NOT pg_has_role(current_user, 'copydesk_service', 'MEMBER') THEN
        EXECUTE format('GRANT copydesk_service TO %I', current_user);
    END IF;
END
$$;

CREATE TABLE events (
    global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    stream_id       text        NOT NULL CHECK (stream_id <> ''),
    stream_version  bigint      NOT NULL CHECK (stream_version > 0),
    event_id        uuid        NOT NULL UNIQUE,
    event_type      text        NOT NULL CHECK (event_type <> ''),
    schema_version  integer     NOT NULL DEFAULT 1 CHECK (schema_version > 0),
    data            jsonb       NOT NULL,
    metadata        jsonb       NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    -- The writing transaction: readers of the global log order by it (see read_all in EventStore).
    transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
    -- Tamper evidence: each event's hash covers its content and the hash of the stream's previous
    -- event (NULL for version 1), so changing any stored event breaks the chain from there on.
    previous_hash   bytea,
    hash            bytea       NOT NULL,
    UNIQUE (stream_id, stream_version)
);

CREATE INDEX events_global_order ON events (transaction_id, global_position);

COMMENT ON TABLE events IS 'Append-only: UPDATE, DELETE and TRUNCATE are rejected by triggers.';

-- The current version of every stream. Appends lock its row, so concurrent appenders to one
-- stream are serialized and a stale expected version is refused before any event is inserted.
CREATE TABLE streams (
    stream_id text   PRIMARY KEY,
    version   bigint NOT NULL CHECK (version > 0)
);

-- Commands already handled, so that a retried command id returns its first result.
CREATE TABLE commands (
    command_id     uuid        PRIMARY KEY,
    stream_id      text        NOT NULL,
    first_version  bigint,
    last_version   bigint,
    first_position bigint,
    last_position  bigint,
    recorded_at    timestamptz NOT NULL DEFAULT now()
);

-- The hash of one event, chained to the previous event's hash. Independent of session settings:
-- JSON in jsonb's canonical text form, the time as microseconds since the epoch.
CREATE FUNCTION event_hash(
    p_previous bytea, p_stream text, p_version bigint, p_event_id uuid, p_type text, p_schema_version integer,
    p_data jsonb, p_metadata jsonb, p_recorded_at timestamptz
) RETURNS bytea
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT sha256(coalesce(p_previous, ''::bytea) || convert_to(
        jsonb_build_array(p_stream, p_version, p_event_id, p_type, p_schema_version, p_data, p_metadata,
                          (extract(epoch FROM p_recorded_at) * 1000000)::bigint)::text,
        'UTF8'))
$$;

CREATE FUNCTION reject_event_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events are append-only: % is not allowed on the event store', TG_OP
        USING ERRCODE = 'CD001',
              HINT = 'History is never rewritten. Record a new event that corrects the old one.';
END
$$;

CREATE TRIGGER events_reject_update_delete
    BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION reject_event_change();

CREATE TRIGGER events_reject_truncate
    BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION reject_event_change();

-- Appends `p_events` (a JSON array of {id, type, schemaVersion, data, metadata}) to a stream.
--
-- p_expected: -1 any version, 0 the stream must not exist, n the stream must be at version n.
-- Returns one row: outcome 'appended' (with each event's global position, in version order:
-- concurrent appends to other streams may interleave positions) or 'duplicate' (the command id
-- was already handled; the first result is returned, without positions, and nothing is written).
-- A stale expected version raises SQLSTATE CD409 with the stream's actual version as DETAIL,
-- after writing nothing and drawing no global position.
CREATE FUNCTION append_events(p_stream text, p_expected bigint, p_command_id uuid, p_events jsonb)
RETURNS TABLE (outcome text, first_version bigint, last_version bigint, first_position bigint, last_position bigint,
               positions bigint[])
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    v_count bigint := jsonb_array_length(p_events);
    v_base bigint;
    v_actual bigint;
    v_first_position bigint;
    v_last_position bigint;
    v_positions bigint[] := '{}';
    v_position bigint;
    v_previous bytea;
    v_hash bytea;
    v_event jsonb;
    v_index bigint;
    v_now timestamptz := now();
BEGIN
    IF v_count = 0 THEN
        RAISE EXCEPTION 'an append needs at least one event' USING ERRCODE = 'invalid_parameter_value';
    END IF;

    -- Claim the command id first: a concurrent retry of the same command waits here for the
    -- first attempt, then finds it done.
    INSERT INTO commands (command_id, stream_id) VALUES (p_command_id, p_stream)
    ON CONFLICT (command_id) DO NOTHING;
    IF NOT FOUND THEN
        RETURN QUERY
            SELECT 'duplicate', c.first_version, c.last_version, c.first_position, c.last_position, NULL::bigint[]
            FROM commands c WHERE c.command_id = p_command_id;
        RETURN;
    END IF;

    IF p_expected = -1 THEN
        INSERT INTO streams AS s (stream_id, version) VALUES (p_stream, v_count)
        ON CONFLICT (stream_id) DO UPDATE SET version = s.version + v_count
        RETURNING s.version - v_count INTO v_base;
    ELSIF p_expected = 0 THEN
        INSERT INTO streams (stream_id, version) VALUES (p_stream, v_count)
        ON CONFLICT (stream_id) DO NOTHING;
        IF FOUND THEN v_base := 0; END IF;
    ELSE
        UPDATE streams SET version = version + v_count
        WHERE stream_id = p_stream AND version = p_expected;
        IF FOUND THEN v_base := p_expected; END IF;
    END IF;

    IF v_base IS NULL THEN
        SELECT s.version INTO v_actual FROM streams s WHERE s.stream_id = p_stream;
        RAISE EXCEPTION 'version conflict on stream %: expected version %, but it is at version %',
            p_stream, p_expected, coalesce(v_actual, 0)
            USING ERRCODE = 'CD409', DETAIL = coalesce(v_actual, 0)::text;
    END IF;

    -- One insert per event, in version order: each hash needs the one before it.
    SELECT e.hash INTO v_previous FROM events e WHERE e.stream_id = p_stream AND e.stream_version = v_base;
    FOR v_event, v_index IN SELECT value, ordinality FROM jsonb_array_elements(p_events) WITH ORDINALITY LOOP
        v_hash := event_hash(
            v_previous, p_stream, v_base + v_index, (v_event ->> 'id')::uuid, v_event ->> 'type',
            coalesce((v_event ->> 'schemaVersion')::integer, 1), v_event -> 'data', v_event -> 'metadata', v_now);
        INSERT INTO events (stream_id, stream_version, event_id, event_type, schema_version, data, metadata,
                            recorded_at, previous_hash, hash)
        VALUES (p_stream, v_base + v_index, (v_event ->> 'id')::uuid, v_event ->> 'type',
                coalesce((v_event ->> 'schemaVersion')::integer, 1), v_event -> 'data', v_event -> 'metadata',
                v_now, v_previous, v_hash)
        RETURNING global_position INTO v_position;
        v_positions := v_positions || v_position;
        v_previous := v_hash;
    END LOOP;
    v_first_position := v_positions[1];
    v_last_position := v_positions[v_count];

    UPDATE commands
    SET first_version = v_base + 1, last_version = v_base + v_count,
        first_position = v_first_position, last_position = v_last_position
    WHERE command_id = p_command_id;

    -- Only a wake-up for subscribers, who also poll. Bulk loads may turn it off per session.
    IF coalesce(current_setting('copydesk.notify', true), 'on') <> 'off' THEN
        PERFORM pg_notify('copydesk_events', '');
    END IF;

    RETURN QUERY SELECT 'appended', v_base + 1, v_base + v_count, v_first_position, v_last_position, v_positions;
END
$$;

REVOKE ALL ON events, streams, commands FROM PUBLIC;
GRANT SELECT, INSERT ON events TO copydesk_service;
GRANT SELECT, INSERT, UPDATE ON streams, commands TO copydesk_service;
GRANT EXECUTE ON FUNCTION append_events(text, bigint, uuid, jsonb) TO copydesk_service;
