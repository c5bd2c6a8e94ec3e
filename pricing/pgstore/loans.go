package pgstore

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/loanbook"
	"tfpricing/pricing/storedfmt"
)

const (
	quotePrefix = "Q-"
	loanPrefix  = "L-"
)

// NextQuoteID implements loanbook.QuoteTx.
func (t *txn) NextQuoteID() (string, error) {
	n, err := t.next("quote")
	return fmt.Sprintf("%s%08d", quotePrefix, n), err
}

// PutQuote implements loanbook.QuoteTx.
func (t *txn) PutQuote(q loanbook.StoredQuote) error {
	n, ok := idNum(quotePrefix, q.ID)
	if !ok {
		return notFound("quote " + q.ID)
	}
	b, err := marshal(storedfmt.NewQuote(q))
	if err != nil {
		return err
	}
	return t.later(nil, "INSERT INTO quotes (num, record) VALUES ($1, $2) ON CONFLICT (num) DO UPDATE SET record = $2", n, b)
}

// Quote implements loanbook.QuoteTx.
func (t *txn) Quote(id string) (loanbook.StoredQuote, error) {
	n, ok := idNum(quotePrefix, id)
	if !ok {
		return loanbook.StoredQuote{}, notFound("quote " + id)
	}
	r, err := getRecord[storedfmt.Quote](t, "quote "+id, "SELECT record FROM quotes WHERE num = $1", n)
	return storedfmt.DomainQuote(r), err
}

func (t *txn) loanNum(id string) (int64, error) {
	n, ok := idNum(loanPrefix, id)
	if !ok {
		return 0, notFound("loan " + id)
	}
	return n, nil
}

// NextLoanID implements loanbook.LoanTx.
func (t *txn) NextLoanID() (string, error) {
	n, err := t.next("loan")
	return fmt.Sprintf("%s%08d", loanPrefix, n), err
}

// PutLoan implements loanbook.LoanTx.
func (t *txn) PutLoan(l loanbook.Loan) error {
	n, err := t.loanNum(l.ID)
	if err != nil {
		return err
	}
	b, err := storedfmt.EncodeLoan(l)
	if err != nil {
		return err
	}
	return t.later(nil, "INSERT INTO loans (num, record) VALUES ($1, $2) ON CONFLICT (num) DO UPDATE SET record = $2", n, b)
}

// Loan implements loanbook.LoanTx.
func (t *txn) Loan(id string) (loanbook.Loan, error) {
	n, err := t.loanNum(id)
	if err != nil {
		return loanbook.Loan{}, err
	}
	// The loan, its lifecycle (if any) and its schedule state — which
	// whoever reads a loan reads next (prefetch.go) — in one statement.
	var raw, lifecycle, sched []byte
	if t.early && t.pipe.begin != "" {
		// Before BEGIN, after an attestation's first read: with its
		// attestations too (prefetch.go).
		var atts [][]byte
		var e earlyTail
		err = t.judgeEarly(n, &e, t.pipe.conn.QueryRow(t.ctx, loanAllSQL, append([]any{n}, t.givenArgs(n)...)...).
			Scan(&raw, &lifecycle, &sched, &e.rev, &e.seq, &e.fixing, &e.last, &e.keep, &atts, &e.latest))
		if err == nil {
			t.atts = &attsAhead{owner: t.ownerNow(), loan: n, records: atts}
		}
	} else if err = t.loanRow(n, &raw, &lifecycle, &sched); err == nil && t.given != nil {
		err = t.checkGivenRecord(n, sched)
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return loanbook.Loan{}, notFound("loan " + id)
	} else if err != nil {
		return loanbook.Loan{}, err
	}
	t.sched = &scheduleAhead{owner: t.ownerNow(), loan: n, record: sched}
	l, err := storedfmt.ReadLoan(raw)
	if err != nil {
		return loanbook.Loan{}, fmt.Errorf("%w: loan %s: %v", errCorrupt, id, err)
	}
	l.Lifecycle, err = storedfmt.ReadLifecycle(l.ID, lifecycle)
	return l, err
}

const loanSQL = `SELECT l.record, lc.record, s.record FROM loans l LEFT JOIN lifecycles lc ON lc.loan_num = l.num
	LEFT JOIN schedules s ON s.loan_num = l.num WHERE l.num = $1`

// loanRow reads loan n's record, lifecycle and schedule state. In a group
// commit batch it goes ahead of the rows queued (bulk.go) unless one is
// the loan's schedule, and when the schedule is queued — a hot loan, whose
// last state an earlier call of the batch wrote — that record is the
// state, as the server would answer once it has the row.
func (t *txn) loanRow(n int64, raw, lifecycle, sched *[]byte) error {
	if t.pipe == nil || !t.pipe.merge {
		return t.tx.QueryRow(t.ctx, loanSQL, n).Scan(raw, lifecycle, sched)
	}
	key := strconv.FormatInt(n, 10)
	queued, ok := t.pipe.queuedArg(rowRef{scheduleRows, key}, 4)
	deps := []rowRef{{scheduleRows, key}}
	if ok {
		deps = nil
	}
	if err := t.pipe.readAhead(t.ctx, deps, loanSQL, n).Scan(raw, lifecycle, sched); err != nil {
		return err
	}
	if ok {
		*sched = queued.([]byte)
	}
	return nil
}

// Loans implements loanbook.LoanTx.
func (t *txn) Loans(after string, limit int) ([]loanbook.Loan, bool, error) {
	var from int64
	if after != "" {
		n, err := t.loanNum(after)
		if err != nil {
			return nil, false, err
		}
		var one int
		if err := t.tx.QueryRow(t.ctx, "SELECT 1 FROM loans WHERE num = $1", n).Scan(&one); errors.Is(err, pgx.ErrNoRows) {
			return nil, false, notFound("loan " + after)
		} else if err != nil {
			return nil, false, err
		}
		from = n
	}
	rows, err := t.tx.Query(t.ctx, `SELECT l.record, lc.record FROM loans l LEFT JOIN lifecycles lc ON lc.loan_num = l.num
		WHERE l.num > $1 ORDER BY l.num LIMIT $2`, from, limit+1)
	if err != nil {
		return nil, false, err
	}
	type row struct{ loan, lifecycle []byte }
	raws, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
		var x row
		return x, r.Scan(&x.loan, &x.lifecycle)
	})
	if err != nil {
		return nil, false, err
	}
	more := len(raws) > limit
	if more {
		raws = raws[:limit]
	}
	out := make([]loanbook.Loan, 0, len(raws))
	for _, raw := range raws {
		l, err := storedfmt.ReadLoan(raw.loan)
		if err != nil {
			return nil, false, fmt.Errorf("%w: loan: %v", errCorrupt, err)
		}
		if l.Lifecycle, err = storedfmt.ReadLifecycle(l.ID, raw.lifecycle); err != nil {
			return nil, false, err
		}
		out = append(out, l)
	}
	return out, more, nil
}

// AttestationSequence implements loanbook.LoanTx (read once, at start-up).
func (t *txn) AttestationSequence() (uint64, error) {
	var n int64
	err := t.tx.QueryRow(t.ctx, "SELECT coalesce(max(seq), 0) FROM attestations").Scan(&n)
	return uint64(n), err
}

// NextAttestationSeq implements loanbook.SharedTx: a number of the
// attestation_seq sequence, unique across replicas. nextval is not undone
// by a rollback: a number taken and not used leaves a gap, which arrival
// sequences allow. It runs on the transaction's own connection — taking a
// second one while holding the first could exhaust the pool.
func (t *txn) NextAttestationSeq() (uint64, error) {
	if n := t.takeSeq(); n != 0 {
		return uint64(n), nil
	}
	var n int64
	const next = "SELECT nextval('attestation_seq')"
	var row pgx.Row
	if t.pipe != nil {
		row = t.pipe.readAhead(t.ctx, nil, next) // depends on no row
	} else {
		row = t.tx.QueryRow(t.ctx, next)
	}
	err := row.Scan(&n)
	return uint64(n), unavailableOr(err)
}

// PutAttestation implements loanbook.LoanTx.
func (t *txn) PutAttestation(loanID string, a pricing.Attestation) error {
	n, err := t.loanNum(loanID)
	if err != nil {
		return err
	}
	rec, err := storedfmt.NewAttestation(loanID, a)
	if err != nil {
		return err
	}
	b, err := marshal(rec)
	if err != nil {
		return err
	}
	if t.atts != nil && t.atts.loan == n {
		t.atts = nil
	}
	// A duplicate is refused by the primary key, on the server, so that a
	// pipelined transaction cannot commit past it (txn.later).
	return t.laterRow(attestationRows, fmt.Sprint(n, "/", a.Seq), func(err error) error {
		if isUniqueViolation(err) {
			return tfpricing.Errorf(tfpricing.ECONFLICT, "loan %s already has an attestation with sequence %d", loanID, a.Seq)
		}
		return err
	}, n, int64(a.Seq), b)
}

// Attestations implements loanbook.LoanTx.
func (t *txn) Attestations(loanID string) ([]pricing.Attestation, error) {
	n, err := t.loanNum(loanID)
	if err != nil {
		return nil, err
	}
	if recs, ok := t.takeAtts(n); ok { // read with the loan
		return appendDecoded(nil, recs, "attestation", storedfmt.DomainAttestation)
	}
	rows, err := t.tx.Query(t.ctx, "SELECT record FROM attestations WHERE loan_num = $1 ORDER BY seq", n)
	if err != nil {
		return nil, err
	}
	raws, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
	if err != nil {
		return nil, err
	}
	return appendDecoded(nil, raws, "attestation", storedfmt.DomainAttestation)
}
