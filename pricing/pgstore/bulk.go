package pgstore

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// Every attestation of a group-commit batch writes one row to each of
// attestations, decisions, schedules and idempotency, and each row was a
// statement of its own — a statement costs PostgreSQL about as much as the
// row. In a batch (pipe.merge) the rows that its calls queue for one table
// are sent as one statement, a multi-row INSERT … SELECT FROM unnest(…)
// with one array per column, and a call's reads that cannot see those
// rows (readAhead) go to the server ahead of them rather than carrying
// them, so that the rows of all calls are still queued at the commit.
//
// A merged statement that fails cannot say whose row failed: the batch is
// then run again unmerged (ownerMixed, commit.go), where each row is its
// call's own statement, so that the failing call is found, run alone and
// charged alone, as before.

// bulk is a kind of row write that can be merged.
type bulk struct {
	one  string // the statement for one row: $1…$n, one per column
	many string // the same for many rows: $1…$n arrays of the columns
	// table names the rows for readAhead; upsert: a later row of the same
	// key replaces an earlier one (ON CONFLICT DO UPDATE of every column),
	// and one statement may not touch a row twice, so only the last of
	// them is sent.
	table  string
	upsert bool
}

var (
	attestationRows = &bulk{table: "attestations",
		one:  "INSERT INTO attestations (loan_num, seq, record) VALUES ($1, $2, $3)",
		many: "INSERT INTO attestations (loan_num, seq, record) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bytea[])"}
	decisionRows = &bulk{table: "decisions",
		one:  "INSERT INTO decisions (seq, loan_num, kind, record) VALUES ($1, $2, $3, $4)",
		many: "INSERT INTO decisions (seq, loan_num, kind, record) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bytea[])"}
	scheduleRows = &bulk{table: "schedules", upsert: true,
		one: `INSERT INTO schedules (loan_num, revision, decision_seq, latest_fixing, record) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (loan_num) DO UPDATE SET revision = $2, decision_seq = $3, latest_fixing = $4, record = $5`,
		many: `INSERT INTO schedules (loan_num, revision, decision_seq, latest_fixing, record)
		SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::bytea[])
		ON CONFLICT (loan_num) DO UPDATE SET revision = excluded.revision, decision_seq = excluded.decision_seq,
		latest_fixing = excluded.latest_fixing, record = excluded.record`}
	idempotencyRows = &bulk{table: "idempotency",
		one:  "INSERT INTO idempotency (key, record) VALUES ($1, $2)",
		many: "INSERT INTO idempotency (key, record) SELECT * FROM unnest($1::bytea[], $2::bytea[])"}
)

// ownerMixed is the owner of a merged statement whose rows several calls
// queued; ownerTxn, of a failure of the transaction itself (BEGIN, the
// chain-head lock), which is no call's.
const (
	ownerMixed = -2
	ownerTxn   = -3
)

// rowRef is a queued write of a bulk kind: key identifies its row in table.
type rowRef struct {
	kind *bulk
	key  string
}

// laterRow queues one row of kind (key: its primary key) like later.
func (t *txn) laterRow(kind *bulk, key string, check func(error) error, args ...any) error {
	if t.pipe != nil {
		return t.pipe.queueRow(t.ctx, rowRef{kind, key}, check, args...)
	}
	return t.later(check, kind.one, args...)
}

// readAhead runs a read that depends on no queued write but, perhaps, on
// the rows named by deps: when none of them is queued, and everything
// queued is a bulk row, it goes without them (they stay queued to be
// merged); else as QueryRow does, after them.
func (p *pipe) readAhead(ctx context.Context, deps []rowRef, sql string, args ...any) pgx.Row {
	if !p.merge || !p.independent(deps) {
		return p.QueryRow(ctx, sql, args...)
	}
	br, err := p.sendAll(ctx, false, queued{sql: sql, args: args})
	if err != nil {
		return errRow{err}
	}
	return batchRow{br: br, row: br.QueryRow()}
}

// queuedArg returns argument i of the last queued row r, if one is.
func (p *pipe) queuedArg(r rowRef, i int) (any, bool) {
	for j := len(p.pending) - 1; j >= 0; j-- {
		if p.pending[j].row == r {
			return p.pending[j].args[i], true
		}
	}
	return nil, false
}

func (p *pipe) independent(deps []rowRef) bool {
	for _, q := range p.pending {
		if q.row.kind == nil {
			return false
		}
		for _, d := range deps {
			if q.row == d {
				return false
			}
		}
	}
	return true
}

// merged returns the queued writes with each run of bulk rows merged:
// within a run, the rows of one kind become one statement (in the order
// the kinds first appear); the other writes keep their places. Rows of
// different tables, or of one table and different keys, do not depend on
// each other's order.
func merged(pending []queued) []queued {
	out := make([]queued, 0, len(pending))
	for i := 0; i < len(pending); {
		if pending[i].row.kind == nil {
			out = append(out, pending[i])
			i++
			continue
		}
		j := i
		for j < len(pending) && pending[j].row.kind != nil {
			j++
		}
		out = appendMerged(out, pending[i:j])
		i = j
	}
	return out
}

func appendMerged(out []queued, run []queued) []queued {
	var kinds []*bulk
	byKind := map[*bulk][]queued{}
	for i, q := range run {
		k := q.row.kind
		if k.upsert && replacedLater(run[i+1:], q.row) {
			continue
		}
		if _, ok := byKind[k]; !ok {
			kinds = append(kinds, k)
		}
		byKind[k] = append(byKind[k], q)
	}
	for _, k := range kinds {
		rows := byKind[k]
		if len(rows) == 1 {
			out = append(out, rows[0])
			continue
		}
		cols := make([]any, len(rows[0].args))
		for c := range cols {
			col := make([]any, len(rows))
			for r, q := range rows {
				col[r] = q.args[c]
			}
			cols[c] = col
		}
		// Whose row failed, and so whose check applies, is not known.
		out = append(out, queued{sql: k.many, args: cols, owner: ownerMixed})
	}
	return out
}

func replacedLater(rest []queued, r rowRef) bool {
	for _, q := range rest {
		if q.row == r {
			return true
		}
	}
	return false
}
