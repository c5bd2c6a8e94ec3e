-- The loan book's schema, version 1 (see store.go for what each table holds).
-- Records are the store's private, tagged JSON (bytea, byte-exact); decision
-- records are their canonical bytes, exactly what the chain hash covers.

-- +goose Up
CREATE TABLE meta (
    key   text PRIMARY KEY,
    value text NOT NULL
);
CREATE TABLE chain_head (
    id   boolean PRIMARY KEY DEFAULT true CHECK (id),
    seq  bigint  NOT NULL,
    hash text    NOT NULL
);
INSERT INTO chain_head (id, seq, hash) VALUES (true, 0, '');
CREATE TABLE counters (
    name  text   PRIMARY KEY,
    value bigint NOT NULL
);
INSERT INTO counters (name, value) VALUES ('quote', 0), ('loan', 0);
CREATE SEQUENCE attestation_seq;
CREATE TABLE documents (
    kind      text  NOT NULL,
    digest    text  NOT NULL,
    canonical bytea NOT NULL,
    PRIMARY KEY (kind, digest)
);
CREATE TABLE quotes (
    num    bigint PRIMARY KEY,
    record bytea  NOT NULL
);
CREATE TABLE loans (
    num    bigint PRIMARY KEY,
    record bytea  NOT NULL
);
CREATE TABLE attestations (
    loan_num bigint NOT NULL,
    seq      bigint NOT NULL,
    record   bytea  NOT NULL,
    PRIMARY KEY (loan_num, seq)
);
CREATE TABLE schedules (
    loan_num      bigint PRIMARY KEY,
    revision      bigint NOT NULL,
    decision_seq  bigint NOT NULL,
    latest_fixing text   NOT NULL,
    record        bytea  NOT NULL
);
CREATE TABLE fixings (
    effective_date text PRIMARY KEY,
    record         bytea NOT NULL
);
CREATE TABLE idempotency (
    key    bytea PRIMARY KEY, -- scope NUL Idempotency-Key: bytea, as text cannot hold NUL
    record bytea NOT NULL
);
CREATE TABLE decisions (
    seq      bigint PRIMARY KEY,
    loan_num bigint,
    kind     text   NOT NULL,
    record   bytea  NOT NULL
);
CREATE INDEX decisions_by_loan ON decisions (loan_num, seq) WHERE loan_num IS NOT NULL;
CREATE INDEX decisions_by_kind ON decisions (kind, seq);
CREATE TABLE leases (
    name       text        PRIMARY KEY,
    holder     text        NOT NULL,
    expires_at timestamptz NOT NULL
);

-- +goose Down
DROP TABLE leases, decisions, idempotency, fixings, schedules, attestations, loans, quotes, documents, counters, chain_head, meta;
DROP SEQUENCE attestation_seq;
