package pgstore

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"tfpricing/pricing/audit"
	"tfpricing/pricing/bookcopy"
	"tfpricing/pricing/storedfmt"
)

// bookTxn is a txn with the listings and raw writes of a whole-book copy
// (package bookcopy): "tfpricing migrate" writes a database through it, and
// "tfpricing backup" over PostgreSQL reads one through it.
type bookTxn struct{ txn }

// ExportBook runs fn on one REPEATABLE READ, read-only transaction, so the
// whole copy sees one snapshot while replicas keep writing.
func (s *Store) ExportBook(ctx context.Context, fn func(bookcopy.Source) error) error {
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return unavailable(err)
	}
	defer func() { _ = tx.Rollback(context.Background()) }()
	return classify(fn(&bookTxn{txn{ctx: ctx, tx: tx, pool: s.pool}}))
}

// ImportBook runs fn on one write transaction, outside group commit,
// holding the chain head locked as every write transaction does, and
// commits when fn returns nil: the copy lands whole or not at all.
func (s *Store) ImportBook(ctx context.Context, fn func(bookcopy.Sink) error) error {
	if s.writer == nil {
		return fmt.Errorf("pgstore: the store is open read-only")
	}
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return unavailable(err)
	}
	// Pipelined: the records' inserts go in batches (maxPending), not
	// one round trip each.
	p := newPipe(conn, "BEGIN ISOLATION LEVEL READ COMMITTED")
	defer p.release()
	t := &bookTxn{txn{ctx: ctx, tx: p, pipe: p, pool: s.pool, write: true}}
	if err := t.lockHead(); err != nil {
		return err
	}
	if err := fn(t); err != nil {
		return classify(err)
	}
	return classify(t.commit())
}

func (t *bookTxn) strings(query string) ([]string, error) {
	rows, err := t.tx.Query(t.ctx, query)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// QuoteIDs implements bookcopy.Source.
func (t *bookTxn) QuoteIDs() ([]string, error) {
	return t.strings(`SELECT 'Q-' || lpad(num::text, 8, '0') FROM quotes ORDER BY num`)
}

// IdempotencyKeys implements bookcopy.Source.
func (t *bookTxn) IdempotencyKeys() ([]string, error) {
	rows, err := t.tx.Query(t.ctx, "SELECT key FROM idempotency ORDER BY key")
	if err != nil {
		return nil, err
	}
	keys, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = string(k)
	}
	return out, err
}

// EmissionsBorrowers implements bookcopy.Source.
func (t *bookTxn) EmissionsBorrowers() ([]string, error) {
	return t.strings(`SELECT uscc FROM emissions GROUP BY uscc ORDER BY uscc COLLATE "C"`)
}

// Counters implements bookcopy.Source: the counters table and the last
// number attestation_seq handed out.
func (t *bookTxn) Counters() (bookcopy.Counters, error) {
	var c bookcopy.Counters
	var q, l, p, a int64
	err := t.tx.QueryRow(t.ctx, `SELECT
		(SELECT value FROM counters WHERE name = 'quote'),
		(SELECT value FROM counters WHERE name = 'loan'),
		(SELECT value FROM counters WHERE name = 'proposal'),
		(SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM attestation_seq)`).Scan(&q, &l, &p, &a)
	c.Quote, c.Loan, c.Proposal, c.Attestation = uint64(q), uint64(l), uint64(p), uint64(a)
	return c, err
}

// Empty implements bookcopy.Sink. Documents do not count: a service
// stores its catalogue and policy at start-up, and storing them again
// with the same digest is a no-op.
func (t *bookTxn) Empty() (bool, error) {
	var found bool
	err := t.tx.QueryRow(t.ctx, `SELECT EXISTS (SELECT 1 FROM decisions) OR EXISTS (SELECT 1 FROM quotes)
		OR EXISTS (SELECT 1 FROM loans) OR EXISTS (SELECT 1 FROM fixings) OR EXISTS (SELECT 1 FROM idempotency)
		OR EXISTS (SELECT 1 FROM proposals) OR EXISTS (SELECT 1 FROM emissions)`).Scan(&found)
	return !found, err
}

// SetCounters implements bookcopy.Sink, attestation_seq included, so that
// new ids continue after the copied ones.
func (t *bookTxn) SetCounters(c bookcopy.Counters) error {
	_, err := t.tx.Exec(t.ctx, `UPDATE counters SET value = CASE name WHEN 'quote' THEN $1::bigint WHEN 'loan' THEN $2::bigint
		WHEN 'proposal' THEN $3::bigint ELSE value END`, int64(c.Quote), int64(c.Loan), int64(c.Proposal))
	if err != nil {
		return err
	}
	// setval(…, n, false): the next nextval returns n, so 0 handed out
	// means the next is 1.
	_, err = t.tx.Exec(t.ctx, "SELECT setval('attestation_seq', $1::bigint + 1, false)", int64(c.Attestation))
	return err
}

// AppendDecisionRecord implements bookcopy.Sink: the record (canonical
// bytes) is stored in storedfmt's envelope, as AppendDecision stores it,
// and becomes the chain head.
func (t *bookTxn) AppendDecisionRecord(raw []byte) error {
	d, err := audit.DecodeDecision(raw)
	if err != nil {
		return err
	}
	if d.Seq != t.head.Seq+1 || d.PrevHash != t.head.Hash {
		return fmt.Errorf("pgstore: decision %d (after %s) does not follow the chain head %d %s", d.Seq, d.PrevHash, t.head.Seq, t.head.Hash)
	}
	var loan *int64
	if n, ok := idNum(loanPrefix, d.LoanID); ok {
		loan = &n
	}
	if err := t.later(nil, "INSERT INTO decisions (seq, loan_num, kind, record) VALUES ($1, $2, $3, $4)",
		int64(d.Seq), loan, string(d.Kind), storedfmt.EncodeDecision(raw)); err != nil {
		return err
	}
	t.head, t.headDirty = audit.ChainHead{Seq: d.Seq, Hash: d.Hash}, true
	return nil
}
