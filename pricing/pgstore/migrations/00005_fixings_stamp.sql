-- The newest published fixing (the curve's stamp) was read with every
-- transaction as max(effective_date) over fixings: a scan and an aggregate
-- each time, and in a write transaction a statement of its own after the
-- chain-head lock. It is kept in the chain_head row instead, which every
-- write transaction locks anyway, so the lock returns it (the newest
-- version of the row once the lock is granted), and a read is one row.
-- A trigger keeps it, so that every writer of fixings does.

-- +goose Up
ALTER TABLE chain_head ADD COLUMN latest_fixing text NOT NULL DEFAULT '';
UPDATE chain_head SET latest_fixing = coalesce((SELECT max(effective_date COLLATE "C") FROM fixings), '');
-- +goose StatementBegin
CREATE FUNCTION fixings_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE chain_head SET latest_fixing = NEW.effective_date
        WHERE id AND latest_fixing COLLATE "C" < NEW.effective_date COLLATE "C";
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER fixings_stamp AFTER INSERT OR UPDATE ON fixings FOR EACH ROW EXECUTE FUNCTION fixings_stamp();

-- +goose Down
DROP TRIGGER fixings_stamp ON fixings;
DROP FUNCTION fixings_stamp();
ALTER TABLE chain_head DROP COLUMN latest_fixing;
