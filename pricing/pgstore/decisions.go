package pgstore

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"tfpricing"
	"tfpricing/pricing/audit"
	"tfpricing/pricing/loanbook"
	"tfpricing/pricing/storedfmt"
)

// Decision records are stored in storedfmt's decision envelope (their
// canonical bytes, exactly what the hash covers, compressed) — the same
// bytes boltstore stores; every reader gets the canonical bytes back. The chain head is the one
// row of chain_head, locked by every write transaction from its start
// (txn.lockHead), so appends of all replicas form one line.

// AppendDecision implements loanbook.DecisionTx.
func (t *txn) AppendDecision(d *audit.Decision) error {
	if !t.write {
		return tfpricing.Errorf(tfpricing.EINTERNAL, "pgstore: decision appended in a read-only transaction")
	}
	if err := t.headKnown(); err != nil {
		return err
	}
	d.Seq = t.head.Seq + 1
	stored, err := d.SealRecord(t.head.Hash)
	if err != nil {
		return err
	}
	var loan *int64
	if n, ok := idNum(loanPrefix, d.LoanID); ok {
		loan = &n
	}
	if err := t.laterRow(decisionRows, strconv.FormatUint(d.Seq, 10), nil,
		int64(d.Seq), loan, string(d.Kind), storedfmt.EncodeDecision(stored)); err != nil {
		return err
	}
	t.head, t.headDirty = audit.ChainHead{Seq: d.Seq, Hash: d.Hash}, true
	return nil
}

// ChainHead implements loanbook.DecisionTx.
func (t *txn) ChainHead() (audit.ChainHead, error) {
	if t.write {
		return t.head, t.headKnown()
	}
	var seq int64
	var hash string
	if err := t.tx.QueryRow(t.ctx, "SELECT seq, hash FROM chain_head WHERE id").Scan(&seq, &hash); err != nil {
		return audit.ChainHead{}, err
	}
	return headOf(seq, hash), nil
}

// Decision implements loanbook.DecisionTx.
func (t *txn) Decision(seq uint64) (audit.Decision, error) {
	var raw []byte
	err := t.tx.QueryRow(t.ctx, "SELECT record FROM decisions WHERE seq = $1", int64(seq)).Scan(&raw)
	if errors.Is(err, pgx.ErrNoRows) {
		return audit.Decision{}, notFound(fmt.Sprintf("decision %d", seq))
	} else if err != nil {
		return audit.Decision{}, err
	}
	return decodeStored(fmt.Sprintf("decision %d", seq), raw)
}

// decodeStored decodes a stored decision record (what names it in errors).
func decodeStored(what string, stored []byte) (audit.Decision, error) {
	canonical, err := storedfmt.DecodeDecision(stored)
	if err != nil {
		return audit.Decision{}, fmt.Errorf("pgstore: %s: %w", what, err)
	}
	return audit.DecodeDecision(canonical)
}

// Decisions implements loanbook.DecisionTx. The loan and kind filters are
// answered by the indexes; dates are matched on the decoded records.
func (t *txn) Decisions(f loanbook.DecisionFilter, after uint64, limit int) ([]audit.Decision, bool, error) {
	q := "SELECT record FROM decisions WHERE seq > $1"
	args := []any{int64(after)}
	if f.LoanID != "" {
		n, ok := idNum(loanPrefix, f.LoanID)
		if !ok {
			return nil, false, nil
		}
		args = append(args, n)
		q += fmt.Sprintf(" AND loan_num = $%d", len(args))
	}
	if f.Kind != "" {
		args = append(args, string(f.Kind))
		q += fmt.Sprintf(" AND kind = $%d", len(args))
	}
	q += " ORDER BY seq"
	if f.From.IsZero() && f.To.IsZero() {
		q += fmt.Sprintf(" LIMIT %d", limit+1) // every row read matches
	}
	rows, err := t.tx.Query(t.ctx, q, args...)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	var out []audit.Decision
	for rows.Next() {
		if len(out) == limit {
			return out, true, nil
		}
		var raw []byte
		if err := rows.Scan(&raw); err != nil {
			return nil, false, err
		}
		d, err := decodeStored("a decision listed", raw)
		if err != nil {
			return nil, false, err
		}
		if f.Match(d) {
			out = append(out, d)
		}
	}
	return out, false, rows.Err()
}

// DecisionRecords implements loanbook.DecisionTx.
func (t *txn) DecisionRecords(from uint64, limit int) ([][]byte, error) {
	rows, err := t.tx.Query(t.ctx, "SELECT record FROM decisions WHERE seq >= $1 ORDER BY seq LIMIT $2", int64(from), limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) ([]byte, error) {
		var stored []byte
		err := row.Scan(&stored)
		return storedfmt.DecisionOrStored(stored), err
	})
}

// LatestPublished implements loanbook.SharedTx. A transaction asks once:
// a write transaction holds the chain head, under which every publication
// writes, so no other replica's can land meanwhile; a read transaction
// (View, REPEATABLE READ) sees one snapshot throughout.
func (t *txn) LatestPublished() (tfpricing.Date, error) {
	if !t.latestKnown && t.pipe != nil && len(t.pipe.first) > 0 {
		if err := t.pipe.flush(t.ctx); err != nil { // BEGIN and the first reads: the answer is among them
			return tfpricing.Date{}, err
		}
	}
	if t.latestKnown {
		return t.latest, nil
	}
	d, err := t.latestPublished()
	t.latest, t.latestKnown = d, err == nil
	return d, err
}

// latestSQL reads the newest published fixing from the chain_head row
// (migrations/00005_fixings_stamp.sql); scanFixingsSQL finds it in
// fixings, for a read-only store, which does not migrate the schema.
const (
	latestSQL      = "SELECT latest_fixing FROM chain_head WHERE id"
	scanFixingsSQL = `SELECT coalesce(max(effective_date COLLATE "C"), '') FROM fixings`
)

func (t *txn) latestQuery() string {
	if t.scanFixings {
		return scanFixingsSQL
	}
	return latestSQL
}

func (t *txn) latestPublished() (tfpricing.Date, error) {
	return scanLatest(t.tx.QueryRow(t.ctx, t.latestQuery()))
}

func scanLatest(row pgx.Row) (tfpricing.Date, error) {
	var d string
	if err := row.Scan(&d); err != nil {
		return tfpricing.Date{}, err
	}
	return parseLatest(d)
}

// parseLatest parses a newest fixing's date ("" when none).
func parseLatest(d string) (tfpricing.Date, error) {
	if d == "" {
		return tfpricing.Date{}, nil
	}
	return tfpricing.ParseDate(d)
}

// latestRead asks for the newest published fixing as a pipe's first read,
// sent with BEGIN: nearly every transaction of the service prices, and so
// asks (loanbook's refreshCurve), and this way it costs no round trip.
func (t *txn) latestRead() read {
	return read{sql: t.latestQuery(), scan: func(row pgx.Row) error {
		d, err := scanLatest(row)
		t.latest, t.latestKnown = d, err == nil
		return err
	}}
}

var _ loanbook.SharedTx = (*txn)(nil)
