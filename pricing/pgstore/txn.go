package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"tfpricing"
	"tfpricing/pricing/audit"
	"tfpricing/pricing/loanbook"
)

// txn adapts a PostgreSQL transaction to loanbook.Tx. A write transaction
// holds the chain head locked from its start and keeps it in head,
// writing it back once before commit.
type txn struct {
	ctx   context.Context
	tx    dbtx
	pipe  *pipe // tx, when it is pipelined (View and group commit)
	pool  *pgxpool.Pool
	write bool

	head      audit.ChainHead
	headDirty bool
	// latest is the newest published fixing, once asked (write only).
	latest      tfpricing.Date
	latestKnown bool
	// stamps are the schedule stamps read, by loan number (read only).
	stamps map[int64]loanbook.ScheduleStamp
	// ahead: an attestation's first read may run before BEGIN (a View
	// not yet begun, not read-only); pre holds what was read ahead
	// (prefetch.go).
	ahead bool
	pre   *prefetched
	// sched is a schedule state read with its loan (prefetch.go).
	sched *scheduleAhead
	// early: an attestation's first read ran before BEGIN; until BEGIN is
	// sent, Loan reads all of the loan in one statement too (atts).
	early bool
	atts  *attsAhead
	given *givenSeq
	// scanFixings: the newest fixing is found in fixings (a read-only
	// store, whose schema may predate its stamp in chain_head).
	scanFixings bool
}

// lockHead takes the chain head row lock: the first statement of every
// write transaction. The row holds the newest published fixing too, read
// with the lock — the row's newest version once the lock is granted, so
// that no publication can land after the read (txn.LatestPublished). On a
// pipe it goes with BEGIN and the transaction's first statement (the
// first call's first read): one round trip.
func (t *txn) lockHead() error {
	const lock = "SELECT seq, hash, latest_fixing FROM chain_head WHERE id FOR UPDATE"
	scan := func(row pgx.Row) error {
		var seq int64
		var hash, latest string
		if err := row.Scan(&seq, &hash, &latest); err != nil {
			return unavailableOr(err)
		}
		t.head = headOf(seq, hash)
		d, err := parseLatest(latest)
		t.latest, t.latestKnown = d, err == nil
		return err
	}
	if t.pipe == nil {
		return scan(t.tx.QueryRow(t.ctx, lock))
	}
	t.pipe.first = []read{{sql: lock, scan: scan}}
	return nil
}

// headKnown makes sure the chain head has been read: on a pipe the lock
// goes with the transaction's first statement, which may not have been
// sent yet.
func (t *txn) headKnown() error {
	if t.pipe != nil && t.pipe.begin != "" {
		return t.pipe.flush(t.ctx)
	}
	return nil
}

func headOf(seq int64, hash string) audit.ChainHead {
	if hash == "" {
		return audit.ChainHead{Hash: audit.GenesisHash}
	}
	return audit.ChainHead{Seq: uint64(seq), Hash: hash}
}

const updateHead = "UPDATE chain_head SET seq = $1, hash = $2 WHERE id"

// commit writes the chain head back, once, and commits: on a pipe, with
// the writes still queued, in one round trip.
func (t *txn) commit() error {
	var extra []queued
	if t.headDirty {
		extra = append(extra, queued{sql: updateHead, args: []any{int64(t.head.Seq), t.head.Hash}})
	}
	return t.pipe.commit(t.ctx, extra...)
}

// later runs a write whose answer is not needed now. On a pipe it is
// queued and sent with the next statement that is waited for; check,
// when not nil, translates its error then. A failure is reported by that
// statement, or by the commit, and the transaction does not commit: a
// write that must be refused has to fail on the server (a constraint),
// since the COMMIT may already be on its way behind it.
func (t *txn) later(check func(error) error, sql string, args ...any) error {
	if t.pipe != nil {
		return t.pipe.queue(t.ctx, check, sql, args...)
	}
	_, err := t.tx.Exec(t.ctx, sql, args...)
	if err != nil && check != nil {
		err = check(err)
	}
	return err
}

// isUniqueViolation reports a refused duplicate key.
func isUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// unavailableOr keeps a lost connection recognisable as such.
func unavailableOr(err error) error {
	if err != nil && isUnavailable(err) {
		return unavailable(err)
	}
	return err
}

// getRecord reads one record column with query and decodes it into T.
func getRecord[T any](t *txn, what, query string, args ...any) (T, error) {
	var rec T
	var raw []byte
	if err := t.tx.QueryRow(t.ctx, query, args...).Scan(&raw); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return rec, notFound(what)
		}
		return rec, err
	}
	if err := json.Unmarshal(raw, &rec); err != nil {
		return rec, fmt.Errorf("%w: %s: %v", errCorrupt, what, err)
	}
	return rec, nil
}

// appendDecoded decodes each stored record of raws into R, converts it to
// the domain type with domain and appends it to out.
func appendDecoded[R, T any](out []T, raws [][]byte, what string, domain func(R) (T, error)) ([]T, error) {
	for _, raw := range raws {
		var r R
		if err := json.Unmarshal(raw, &r); err != nil {
			return nil, fmt.Errorf("%w: %s: %v", errCorrupt, what, err)
		}
		v, err := domain(r)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// idNum turns an id such as "L-00000042" into its number.
func idNum(prefix, id string) (int64, bool) {
	if !strings.HasPrefix(id, prefix) {
		return 0, false
	}
	n, err := strconv.ParseInt(id[len(prefix):], 10, 64)
	if err != nil || n <= 0 {
		return 0, false
	}
	return n, true
}

// next hands out the next number of counter name (quote, loan).
func (t *txn) next(name string) (int64, error) {
	if !t.write {
		return 0, tfpricing.Errorf(tfpricing.EINTERNAL, "pgstore: %s number taken in a read-only transaction", name)
	}
	var n int64
	err := t.tx.QueryRow(t.ctx, "UPDATE counters SET value = value + 1 WHERE name = $1 RETURNING value", name).Scan(&n)
	return n, err
}

// PutDocument implements loanbook.Tx.
func (t *txn) PutDocument(kind audit.DocKind, digest string, canonical []byte) (bool, error) {
	old, err := t.Document(kind, digest)
	switch {
	case err == nil:
		if string(old) != string(canonical) {
			return false, fmt.Errorf("pgstore: %s %s already stored with other content", kind, digest)
		}
		return false, nil
	case tfpricing.ErrorCode(err) != tfpricing.ENOTFOUND:
		return false, err
	}
	_, err = t.tx.Exec(t.ctx, "INSERT INTO documents (kind, digest, canonical) VALUES ($1, $2, $3)", string(kind), digest, canonical)
	return err == nil, err
}

// Document implements loanbook.Tx.
func (t *txn) Document(kind audit.DocKind, digest string) ([]byte, error) {
	var b []byte
	err := t.tx.QueryRow(t.ctx, "SELECT canonical FROM documents WHERE kind = $1 AND digest = $2", string(kind), digest).Scan(&b)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound(string(kind) + " " + digest)
	}
	return b, err
}

// Documents implements loanbook.Tx: digests in byte order.
func (t *txn) Documents(kind audit.DocKind) ([]string, error) {
	rows, err := t.tx.Query(t.ctx, `SELECT digest FROM documents WHERE kind = $1 ORDER BY digest COLLATE "C"`, string(kind))
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}
