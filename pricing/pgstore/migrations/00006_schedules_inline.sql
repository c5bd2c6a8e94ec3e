-- Every attestation rewrites its loan's schedule row: a record of a few
-- hundred bytes to a few KB, zstd-compressed (storedfmt). Over ≈ 2 KB
-- PostgreSQL tried pglz on it (bytes that do not compress), failed, and
-- moved it out of line: each update inserted its TOAST chunks (two for
-- 2.3 KB), deleted the old ones and indexed both — 17.3 WAL records per
-- attestation instead of 12 (BENCHMARKS.md, session 6). STORAGE EXTERNAL
-- and toast_tuple_target = 8160, as migration 00004 did for decisions:
-- below ≈ 8 KB the record stays inline and is not compressed again.
--
-- Inline, a row of a few KB fills its page (three of 2.3 KB do), so that
-- an update finds no room for the new version on the row's page while a
-- concurrent snapshot (an attestation's read transaction) keeps the old
-- ones from being pruned: not HOT — a new index entry and a page more
-- (10 % of the updates were HOT). fillfactor = 70 leaves 30 % of every
-- page for new versions and prunes a page before it is full: 93 % HOT
-- (2.3 KB records; 0.3 KB ones 96 %, up from 82–87 %). fillfactor = 50
-- made it 100 % but put one 2.3 KB row on a page (twice the table, more
-- pruning WAL). Existing rows move inline, and to pages filled to 70 %,
-- as they are next updated; stored bytes are unchanged.

-- +goose Up
ALTER TABLE schedules ALTER COLUMN record SET STORAGE EXTERNAL;
ALTER TABLE schedules SET (toast_tuple_target = 8160, fillfactor = 70);

-- +goose Down
ALTER TABLE schedules RESET (toast_tuple_target, fillfactor);
ALTER TABLE schedules ALTER COLUMN record SET STORAGE EXTENDED;
