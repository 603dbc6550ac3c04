-- The fingerprint of the request a command came from, when its client may retry it (HTTP
-- requests with an Idempotency-Key, whose command id is derived from the key). A retry must be
-- the same request; the same key with another request is refused instead of silently answered
-- with the first request's result while the second is dropped. NULL for commands without a key
-- and for those handled before this migration (which then match any retry, as before).
ALTER TABLE commands ADD COLUMN request_hash bytea;
