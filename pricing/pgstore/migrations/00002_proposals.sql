-- DESIGN.md §5.1: proposals (four eyes) and loan lifecycles (plan
-- versions, declassification, second-party opinion).

-- +goose Up
CREATE TABLE proposals (
    num    bigint PRIMARY KEY,
    record bytea  NOT NULL
);
CREATE TABLE lifecycles (
    loan_num bigint PRIMARY KEY,
    record   bytea  NOT NULL
);
INSERT INTO counters (name, value) VALUES ('proposal', 0);

-- +goose Down
DELETE FROM counters WHERE name = 'proposal';
DROP TABLE lifecycles, proposals;
