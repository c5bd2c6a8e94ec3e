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

// PutSchedule implements loanbook.LoanTx; the stamp is also kept in
// columns, so ScheduleStamp reads three numbers, not the record.
func (t *txn) PutSchedule(s loanbook.ScheduleState) error {
	n, err := t.loanNum(s.LoanID)
	if err != nil {
		return err
	}
	b, err := storedfmt.EncodeSchedule(s)
	if err != nil {
		return err
	}
	delete(t.stamps, n)
	if t.pre != nil && t.pre.loan == n {
		t.pre.hasStamp = false
	}
	if t.sched != nil && t.sched.loan == n {
		t.sched = nil
	}
	return t.laterRow(scheduleRows, strconv.FormatInt(n, 10), nil,
		n, int64(s.Revision), int64(s.DecisionSeq), dateText(s.LatestFixing), b)
}

func dateText(d tfpricing.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// Schedule implements loanbook.LoanTx.
func (t *txn) Schedule(loanID string) (loanbook.ScheduleState, error) {
	n, err := t.loanNum(loanID)
	if err != nil {
		return loanbook.ScheduleState{}, err
	}
	raw, ok := t.takeSchedule(n) // read with the loan
	if !ok {
		err := t.tx.QueryRow(t.ctx, "SELECT record FROM schedules WHERE loan_num = $1", n).Scan(&raw)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return loanbook.ScheduleState{}, err
		}
	}
	if raw == nil {
		return loanbook.ScheduleState{}, notFound("schedule of loan " + loanID)
	}
	s, err := storedfmt.ReadSchedule(raw)
	if err != nil {
		return loanbook.ScheduleState{}, fmt.Errorf("%w: schedule of loan %s: %v", errCorrupt, loanID, err)
	}
	return s, nil
}

// ScheduleStamp implements loanbook.LoanTx, read from the columns. A read
// transaction (REPEATABLE READ, one snapshot) reads a loan's stamp once:
// an attestation asks twice (whether the loan is hot, then for its cached
// view), and each ask was a round trip.
func (t *txn) ScheduleStamp(loanID string) (loanbook.ScheduleStamp, error) {
	n, err := t.loanNum(loanID)
	if err != nil {
		return loanbook.ScheduleStamp{}, err
	}
	if st, ok := t.stamps[n]; ok {
		return st, nil
	}
	if st, found, err := t.takeStamp(n, loanID); found {
		return st, err
	}
	var rev, seq int64
	var latest string
	err = t.tx.QueryRow(t.ctx, "SELECT revision, decision_seq, latest_fixing FROM schedules WHERE loan_num = $1", n).Scan(&rev, &seq, &latest)
	if errors.Is(err, pgx.ErrNoRows) {
		return loanbook.ScheduleStamp{}, notFound("schedule of loan " + loanID)
	} else if err != nil {
		return loanbook.ScheduleStamp{}, err
	}
	st := loanbook.ScheduleStamp{Revision: uint64(rev), DecisionSeq: uint64(seq)}
	if latest != "" {
		if st.LatestFixing, err = tfpricing.ParseDate(latest); err != nil {
			return st, fmt.Errorf("%w: schedule stamp of %s: %v", errCorrupt, loanID, err)
		}
	}
	if !t.write { // one snapshot, nothing written: the answer cannot change
		if t.stamps == nil {
			t.stamps = make(map[int64]loanbook.ScheduleStamp, 1)
		}
		t.stamps[n] = st
	}
	return st, nil
}

// PutFixing implements loanbook.LoanTx.
func (t *txn) PutFixing(f pricing.Fixing) error {
	rec, err := storedfmt.NewFixing(f)
	if err != nil {
		return err
	}
	if err := t.headKnown(); err != nil { // the newest fixing is read with the lock
		return err
	}
	b, err := marshal(rec)
	if err != nil {
		return err
	}
	err = t.later(nil, "INSERT INTO fixings (effective_date, record) VALUES ($1, $2) ON CONFLICT (effective_date) DO UPDATE SET record = $2",
		f.EffectiveDate.String(), b)
	if err == nil && t.latestKnown && f.EffectiveDate.After(t.latest) {
		t.latest = f.EffectiveDate
	}
	return err
}

// Fixings implements loanbook.LoanTx, oldest first.
func (t *txn) Fixings() ([]pricing.Fixing, error) {
	rows, err := t.tx.Query(t.ctx, `SELECT record FROM fixings ORDER BY effective_date COLLATE "C"`)
	if err != nil {
		return nil, err
	}
	raws, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
	if err != nil {
		return nil, err
	}
	return appendDecoded(make([]pricing.Fixing, 0, len(raws)), raws, "fixing", storedfmt.DomainFixing)
}

// Idempotency implements loanbook.LoanTx. An attestation's is read with
// what the attestation asks next (prefetch.go).
func (t *txn) Idempotency(key string) (loanbook.IdempotencyRecord, bool, error) {
	t.pre = nil
	if loan, ok := attestedLoan(key); ok {
		raw, done, err := t.idempotencyAhead(key, loan)
		if err != nil || (done && raw == nil) {
			return loanbook.IdempotencyRecord{}, false, err
		}
		if done {
			r, err := decodeIdempotency(raw)
			return r, err == nil, err
		}
	}
	r, err := getRecord[idempotencyRecord](t, "idempotency record", "SELECT record FROM idempotency WHERE key = $1", []byte(key))
	if tfpricing.ErrorCode(err) == tfpricing.ENOTFOUND {
		return loanbook.IdempotencyRecord{}, false, nil
	} else if err != nil {
		return loanbook.IdempotencyRecord{}, false, err
	}
	return toDomainIdempotency(r), true, nil
}

// PutIdempotency implements loanbook.LoanTx. The key is the primary key:
// the same key can be stored once. The loan book reads it first under the
// chain-head lock, so a second request with the key is answered from the
// record; the constraint is what makes that so even if it did not.
func (t *txn) PutIdempotency(r loanbook.IdempotencyRecord) error {
	b, err := marshal(toDBIdempotency(r))
	if err != nil {
		return err
	}
	return t.laterRow(idempotencyRows, r.Key, nil, []byte(r.Key), b)
}
