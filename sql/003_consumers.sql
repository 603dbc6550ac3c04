-- Where each asynchronous consumer of the global log has got to.
--
-- A consumer updates its row in the same transaction as the effects of the events it handled,
-- so a crash rolls back both and the events are handled again, exactly once in effect. The
-- cursor is the global log's (transaction id, position) pair: see EventStore.readAll.
CREATE TABLE consumer_checkpoints (
    consumer       text        PRIMARY KEY CHECK (consumer <> ''),
    transaction_id xid8        NOT NULL,
    position       bigint      NOT NULL CHECK (position >= 0),
    updated_at     timestamptz NOT NULL DEFAULT now()
);

REVOKE ALL ON consumer_checkpoints FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON consumer_checkpoints TO copydesk_service;
