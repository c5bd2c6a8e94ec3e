-- Every attestation rewrites its loan's schedule row (a few hundred bytes
-- to a few KB, zstd). With the default fillfactor of 100 the rows fill
-- their pages, and an update finds room for the new version on the row's
-- page only once the old versions there are pruned — which they cannot be
-- while a concurrent snapshot (an attestation's read transaction) may
-- still see them. The new version then goes to another page: not HOT, a
-- new entry in schedules_pkey, a page more. Measured (BENCHMARKS.md,
-- session 6): 91–92 % of the updates were HOT; with fillfactor = 50 (a
-- page half empty after its inserts, the other half for new versions)
-- 99.9 %, 9 WAL bytes fewer per attestation, and neither the index nor
-- the table grows with the updates. Pages already full keep their rows:
-- a row's next non-HOT update moves it to a page filled to 50 %.

-- +goose Up
ALTER TABLE schedules SET (fillfactor = 50);

-- +goose Down
ALTER TABLE schedules RESET (fillfactor);
