-- append_events refuses an event whose envelope lacks what readers need.
--
-- It took any JSON before: an event written without, say, a causation id in its metadata (by a
-- script or a future bug) made every reader of the global log fail on it. Each event must now be
-- an object with a UUID id, a non-empty type, a positive schemaVersion when given, data, and
-- metadata holding actor, commandId (a UUID), correlationId, causationId and a known origin.
-- A refused append writes nothing (SQLSTATE 22023, naming the event and what it lacks).

-- What is wrong with one event of an append, in words, or NULL when nothing is. Built only of
-- immutable operators in one expression, so PostgreSQL inlines it into append_events.
CREATE FUNCTION event_envelope_problem(p_event jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN jsonb_typeof(p_event) IS DISTINCT FROM 'object' THEN 'it is not a JSON object'
        WHEN jsonb_typeof(p_event -> 'id') IS DISTINCT FROM 'string'
             OR NOT (p_event ->> 'id') ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
            THEN 'its id is not a UUID'
        WHEN jsonb_typeof(p_event -> 'type') IS DISTINCT FROM 'string' OR p_event ->> 'type' = ''
            THEN 'it has no type'
        WHEN p_event ? 'schemaVersion'
             AND NOT (jsonb_typeof(p_event -> 'schemaVersion') = 'number'
                      AND (p_event ->> 'schemaVersion') ~ '^[1-9][0-9]{0,8}$')
            THEN 'its schemaVersion is not a positive whole number'
        WHEN NOT p_event ? 'data' THEN 'it has no data'
        WHEN jsonb_typeof(p_event -> 'metadata') IS DISTINCT FROM 'object' THEN 'it has no metadata object'
        WHEN jsonb_typeof(p_event #> '{metadata,actor}') IS DISTINCT FROM 'string' THEN 'its metadata has no actor'
        WHEN jsonb_typeof(p_event #> '{metadata,commandId}') IS DISTINCT FROM 'string'
             OR NOT (p_event #>> '{metadata,commandId}')
                    ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
            THEN 'its metadata has no commandId (a UUID)'
        WHEN jsonb_typeof(p_event #> '{metadata,correlationId}') IS DISTINCT FROM 'string'
            THEN 'its metadata has no correlationId'
        WHEN jsonb_typeof(p_event #> '{metadata,causationId}') IS DISTINCT FROM 'string'
            THEN 'its metadata has no causationId'
        WHEN coalesce(p_event #>> '{metadata,origin}', '') NOT IN ('cli', 'http', 'scheduler')
            THEN 'its metadata has no known origin (cli, http or scheduler)'
    END
$$;

-- Appends `p_events` (a JSON array of {id, type, schemaVersion, data, metadata}) to a stream,
-- after checking every event's envelope (event_envelope_problem).
--
-- p_expected: -1 any version, 0 the stream must not exist, n the stream must be at version n.
-- Returns one row: outcome 'appended' (with each event's global position, in version order:
-- concurrent appends to other streams may interleave positions) or 'duplicate' (the command id
-- was already handled; the first result is returned, without positions, and nothing is written).
-- A stale expected version raises SQLSTATE CD409 with the stream's actual version as DETAIL,
-- after writing nothing and drawing no global position.
CREATE OR REPLACE FUNCTION append_events(p_stream text, p_expected bigint, p_command_id uuid, p_events jsonb)
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
    v_problem text;
BEGIN
    IF v_count = 0 THEN
        RAISE EXCEPTION 'an append needs at least one event' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOR v_event, v_index IN SELECT value, ordinality FROM jsonb_array_elements(p_events) WITH ORDINALITY LOOP
        v_problem := event_envelope_problem(v_event);
        IF v_problem IS NOT NULL THEN
            RAISE EXCEPTION 'event % of the append to stream % was refused: %', v_index, p_stream, v_problem
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
    END LOOP;

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

    RETURN QUERY SELECT 'appended', v_base + 1, v_base + v_count, v_first_position, v_last_position, v_positions;
END
$$;
