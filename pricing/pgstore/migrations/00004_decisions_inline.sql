-- Decision records are stored zstd-compressed (storedfmt's envelope), and
-- an attestation's is ≈ 2–4 KB: over PostgreSQL's TOAST threshold (≈ 2 KB),
-- so each insert tried pglz on bytes that do not compress, failed, and
-- moved the value out of line — a second heap insert, a TOAST index insert
-- and their WAL, and a TOAST lookup on every read. STORAGE EXTERNAL: never
-- compress the column again; toast_tuple_target = 8160 (the largest
-- allowed): a row is not toasted at all below ≈ 8 KB, so it stays inline.
-- Rows already stored keep their TOAST pointers; reads are unchanged.

-- +goose Up
ALTER TABLE decisions ALTER COLUMN record SET STORAGE EXTERNAL;
ALTER TABLE decisions SET (toast_tuple_target = 8160);

-- +goose Down
ALTER TABLE decisions RESET (toast_tuple_target);
ALTER TABLE decisions ALTER COLUMN record SET STORAGE EXTENDED;
