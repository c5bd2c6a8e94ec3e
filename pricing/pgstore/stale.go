package pgstore

import (
	"errors"
	"fmt"

	"tfpricing"
	"tfpricing/pricing/loanbook"
	"tfpricing/pricing/storedfmt"
)

// givenSeq is an arrival number handed out from a read before BEGIN, and
// the loan's schedule stamp that read saw. The number was taken after
// every attestation of that state, so it follows them; an attestation of
// the loan committed since may have taken a later one. A loan read later
// (another snapshot) must therefore show the same stamp, or attestations
// that all come before the number (a hot loan moves all the time, and is
// read with its attestations), or the attestation would be prepared on a
// state whose attestations its number does not follow: the View is then
// run again in one snapshot (errStaleSnapshot).
type givenSeq struct {
	loan  int64
	stamp *loanbook.ScheduleStamp
	seq   int64
}

// stampOf is a schedule stamp read as columns (nil when there is no
// schedule).
func stampOf(loan int64, rev, seq *int64, fixing *string) (*loanbook.ScheduleStamp, error) {
	if rev == nil || seq == nil || fixing == nil {
		return nil, nil
	}
	st := loanbook.ScheduleStamp{Revision: uint64(*rev), DecisionSeq: uint64(*seq)}
	if *fixing != "" {
		var err error
		if st.LatestFixing, err = tfpricing.ParseDate(*fixing); err != nil {
			return nil, fmt.Errorf("%w: schedule stamp of loan %d: %v", errCorrupt, loan, err)
		}
	}
	return &st, nil
}

// checkGivenRecord is checkGiven given the schedule record read.
func (t *txn) checkGivenRecord(n int64, record []byte) error {
	if t.given == nil || t.given.loan != n {
		return nil
	}
	var st *loanbook.ScheduleStamp
	if record != nil {
		s, err := storedfmt.ReadSchedule(record)
		if err != nil {
			return fmt.Errorf("%w: schedule of loan %d: %v", errCorrupt, n, err)
		}
		stamp := s.Stamp()
		st = &stamp
	}
	return t.checkGiven(n, st, nil)
}

var errStaleSnapshot = errors.New("pgstore: the loan moved after its attestation's first read")

// checkGiven fails with errStaleSnapshot when loan n, read with the
// schedule stamp st (nil: no schedule) and with last the highest sequence
// of its attestations (nil: not read, or none), is the loan of a number
// handed out from another stamp that does not follow last.
func (t *txn) checkGiven(n int64, st *loanbook.ScheduleStamp, last *int64) error {
	g := t.given
	if g == nil || g.loan != n {
		return nil
	}
	if (g.stamp == nil) == (st == nil) && (st == nil || *g.stamp == *st) {
		return nil
	}
	if last != nil && g.seq > *last {
		return nil
	}
	return errStaleSnapshot
}

// earlyTail is what loanAllSQL and loanSinceEarlySQL answer beside a
// loan's records: its schedule stamp (NULLs: none), the highest sequence
// of its attestations, keep (checkGiven, judged in SQL) and the newest
// published fixing.
type earlyTail struct {
	rev, seq, last *int64
	fixing         *string
	keep           *bool
	latest         string
}

// judgeEarly returns the outcome of such a read: err, the statement's own
// (an unavailable error when it is one); else errStaleSnapshot when keep
// says the read cannot be used or the stamp read does not pass
// checkGiven; else nil, with the newest fixing taken as the transaction's.
func (t *txn) judgeEarly(n int64, e *earlyTail, err error) error {
	if err == nil && (e.keep == nil || !*e.keep) {
		err = errStaleSnapshot
	}
	if err == nil {
		t.latest, err = parseLatest(e.latest)
	}
	if err == nil {
		var st *loanbook.ScheduleStamp
		if st, err = stampOf(n, e.rev, e.seq, e.fixing); err == nil {
			err = t.checkGiven(n, st, e.last)
		}
	}
	return unavailableOr(err)
}

func (t *txn) ownerNow() int {
	if t.pipe == nil {
		return -1
	}
	return t.pipe.owner
}

// scheduleAhead is a loan's stored schedule state read with the loan
// (Loan), for the call now running to take once (nil record: none).
type scheduleAhead struct {
	owner  int
	loan   int64
	record []byte
}

// takeSchedule returns the schedule record of loan read with the loan,
// once; ok is false when it was not (nil record: none stored).
func (t *txn) takeSchedule(loan int64) (record []byte, ok bool) {
	sa := t.sched
	if sa == nil || sa.loan != loan || sa.owner != t.ownerNow() {
		return nil, false
	}
	t.sched = nil
	return sa.record, true
}
