-- Issue 17: borrowers' emissions attestations (financed emissions), keyed
-- by USCC and a per-borrower sequence; each record is the canonical form
-- of audit.EncodeEmissions, as boltstore's emissions bucket keeps it.

-- +goose Up
CREATE TABLE emissions (
    uscc   text   NOT NULL,
    seq    bigint NOT NULL,
    record bytea  NOT NULL,
    PRIMARY KEY (uscc, seq)
);

-- +goose Down
DROP TABLE emissions;
