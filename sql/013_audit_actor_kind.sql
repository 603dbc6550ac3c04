-- The audit log says whether a person or the system acted (issue 13, point 3).
--
-- Events now carry metadata.actorKind ("person" or "system"). Events written before it read as
-- person, except those by `scheduler` with origin `scheduler`, which only the scheduler wrote:
-- the backfill below applies that same rule, so `replay` rebuilds these rows identically.
-- The default serves the backfill only; every writer names the kind.

ALTER TABLE audit_log ADD COLUMN actor_kind text NOT NULL DEFAULT 'person'
    CHECK (actor_kind IN ('person', 'system'));

UPDATE audit_log SET actor_kind = 'system' WHERE actor = 'scheduler' AND origin = 'scheduler';

ALTER TABLE audit_log ALTER COLUMN actor_kind DROP DEFAULT;
