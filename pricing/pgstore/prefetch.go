package pgstore

import (
	"encoding/json"
	"fmt"
	"strconv"

	"tfpricing/pricing/loanbook"
)

// An attestation asks, one after the other, for its Idempotency-Key's
// record, the newest published fixing, its loan's schedule stamp and —
// in its read transaction — an arrival number (loanbook.Service.Attest),
// and each ask was a statement and a round trip of its own. The key names
// the loan ("attestation:L-00000042" NUL key), so the store asks for all
// of them with the first: one statement, one round trip, and keeps the
// answers the loan book has not asked for yet in one-shot slots that the
// next ask of the same call takes (prefetched). A key of another shape is
// read alone, as before; nothing but the number of statements depends on
// the shape.
//
// In a read transaction (View) that first statement runs before BEGIN,
// as a statement of its own (one snapshot, the same for all its answers):
// when the loan's view is cached, which is the usual case, the attestation
// needs nothing else, and neither BEGIN nor ROLLBACK is sent. Whatever fn
// reads after it is read in the REPEATABLE READ transaction begun then, a
// later snapshot, with the newest fixing read again in it: a stamp read
// first only finds a cached view that was exactly that state, and the
// write transaction checks the stamp again under the chain-head lock.

// attestedLoan returns the loan number an attestation's idempotency key
// names (loanbook.AttestationKey), or false for any other key.
func attestedLoan(key string) (int64, bool) {
	id, ok := loanbook.AttestedLoan(key)
	if !ok {
		return 0, false
	}
	return idNum(loanPrefix, id)
}

// prefetched are answers read ahead for one call (pipe.owner) of the
// transaction; each is taken once.
type prefetched struct {
	owner    int
	loan     int64
	stamp    *loanbook.ScheduleStamp // nil: taken, or no schedule
	hasStamp bool                    // stamp was read (nil = none stored)
	first    *loanbook.ScheduleStamp // the stamp read (nil: no schedule)
	seq      int64                   // 0: none
}

// viewFirstSQL is a read transaction's first statement for an
// attestation: the idempotency record, the schedule stamp, the newest
// published fixing and, when there is no record but a schedule, an arrival
// number. nextval is volatile, so CASE evaluates it only when asked.
const viewFirstSQL = `SELECT i.record, s.revision, s.decision_seq, s.latest_fixing, f.latest,
	CASE WHEN i.record IS NULL AND s.loan_num IS NOT NULL THEN nextval('attestation_seq') END
	FROM (SELECT latest_fixing AS latest FROM chain_head WHERE id) f
	LEFT JOIN idempotency i ON i.key = $1
	LEFT JOIN schedules s ON s.loan_num = $2`

// writeFirstSQL is the same for a call of a write transaction, which
// knows the newest fixing (read with the chain-head lock) and takes a
// number only when its loan moved.
const writeFirstSQL = `SELECT i.record, s.revision, s.decision_seq, s.latest_fixing
	FROM (VALUES (1)) one
	LEFT JOIN idempotency i ON i.key = $1
	LEFT JOIN schedules s ON s.loan_num = $2`

// idempotencyAhead reads an attestation's idempotency record with what it
// asks next. ok is false when this transaction cannot (a read-only one, or
// a read transaction that has already begun): the caller reads alone.
func (t *txn) idempotencyAhead(key string, loan int64) (raw []byte, ok bool, err error) {
	var rev, seq, next *int64
	var fixing *string
	var latest string
	switch {
	case t.pipe == nil:
		return nil, false, nil
	case t.write:
		// Ahead of the rows queued by earlier calls unless it reads one.
		deps := []rowRef{{idempotencyRows, key}, {scheduleRows, strconv.FormatInt(loan, 10)}}
		err = t.pipe.readAhead(t.ctx, deps, writeFirstSQL, []byte(key), loan).Scan(&raw, &rev, &seq, &fixing)
	case t.ahead && t.pipe.begin != "" && len(t.pipe.pending) == 0:
		// Before BEGIN, on the connection itself: its own snapshot.
		err = t.pipe.conn.QueryRow(t.ctx, viewFirstSQL, []byte(key), loan).Scan(&raw, &rev, &seq, &fixing, &latest, &next)
	default:
		return nil, false, nil
	}
	if err != nil {
		return nil, true, unavailableOr(err)
	}
	pf := &prefetched{owner: t.pipe.owner, loan: loan, hasStamp: true}
	if pf.stamp, err = stampOf(loan, rev, seq, fixing); err != nil {
		return nil, true, err
	}
	pf.first = pf.stamp
	if next != nil {
		pf.seq = *next
	}
	if !t.write {
		// Known as of this statement; once BEGIN is sent the newest fixing
		// is read again (the pipe's first read, still waiting for it).
		d, err := parseLatest(latest)
		if err != nil {
			return nil, true, err
		}
		t.latest, t.latestKnown = d, true
		t.early = true
	}
	t.ahead, t.pre = false, pf
	return raw, true, nil
}

// takeStamp returns the schedule stamp of loan read ahead for the call now
// running, once: found is false when none was. A stamp read ahead that is
// not stored is reported as not found.
func (t *txn) takeStamp(loan int64, loanID string) (st loanbook.ScheduleStamp, found bool, err error) {
	pf := t.pre
	if pf == nil || !pf.hasStamp || pf.loan != loan || pf.owner != t.ownerNow() {
		return st, false, nil
	}
	pf.hasStamp = false
	if pf.stamp == nil {
		return st, true, notFound("schedule of loan " + loanID)
	}
	return *pf.stamp, true, nil
}

// takeSeq returns the arrival number read ahead for the call now running,
// once (0: none).
func (t *txn) takeSeq() int64 {
	pf := t.pre
	if pf == nil || pf.seq == 0 || pf.owner != t.ownerNow() {
		return 0
	}
	n := pf.seq
	pf.seq = 0
	if t.early {
		t.given = &givenSeq{loan: pf.loan, stamp: pf.first, seq: n}
	}
	return n
}

// loanAllSQL is a loan read before BEGIN, after an attestation's first
// read (txn.early): the loan, its lifecycle, schedule state and
// attestations, and the newest fixing — one statement, so one snapshot,
// and no transaction to begin or end. An attestation whose loan's view is
// not cached (another replica wrote it last) reads them all; the newest
// fixing is read again, so that the curve is never older than the state.
// Given a number handed out ($2–$5: the stamp it was handed out with, -1
// for none, and the number; NULL when none was), keep says whether the
// read can be used (checkGiven, in SQL): when not, the attestations — a
// hot loan's may be many — are not sent, as the View runs again.
const loanAllSQL = `SELECT l.record, lc.record, s.record, s.revision, s.decision_seq, s.latest_fixing, m.last, k.keep,
	CASE WHEN k.keep THEN ARRAY(SELECT a.record FROM attestations a WHERE a.loan_num = l.num ORDER BY a.seq) END,
	` + loanKeptSQL

// loanKeptSQL is the rest of loanAllSQL and loanSinceEarlySQL after their
// attestations: the newest fixing, from loan $1 joined with its lifecycle
// and state, and keep judged from $2–$5 (checkGiven in SQL).
const loanKeptSQL = `(SELECT latest_fixing FROM chain_head WHERE id)
	FROM loans l LEFT JOIN lifecycles lc ON lc.loan_num = l.num
	LEFT JOIN schedules s ON s.loan_num = l.num
	CROSS JOIN LATERAL (SELECT max(a.seq) AS last FROM attestations a WHERE a.loan_num = l.num) m
	CROSS JOIN LATERAL (SELECT $2::bigint IS NULL
		OR ($2 = -1 AND s.loan_num IS NULL)
		OR (s.revision = $2 AND s.decision_seq = $3::bigint AND s.latest_fixing = $4::text)
		OR $5::bigint > m.last AS keep) k
	WHERE l.num = $1`

// givenArgs are loanAllSQL's $2–$5 for loan n.
func (t *txn) givenArgs(n int64) []any {
	g := t.given
	if g == nil || g.loan != n {
		return []any{nil, nil, nil, nil}
	}
	if g.stamp == nil {
		return []any{int64(-1), int64(-1), "", g.seq}
	}
	return []any{int64(g.stamp.Revision), int64(g.stamp.DecisionSeq), dateText(g.stamp.LatestFixing), g.seq}
}

// attsAhead are a loan's attestation records read with the loan, for the
// call now running to take once.
type attsAhead struct {
	owner   int
	loan    int64
	records [][]byte
}

func (t *txn) takeAtts(loan int64) ([][]byte, bool) {
	a := t.atts
	if a == nil || a.loan != loan || a.owner != t.ownerNow() {
		return nil, false
	}
	t.atts = nil
	return a.records, true
}

// decodeIdempotency decodes a stored idempotency record.
func decodeIdempotency(raw []byte) (loanbook.IdempotencyRecord, error) {
	var r idempotencyRecord
	if err := json.Unmarshal(raw, &r); err != nil {
		return loanbook.IdempotencyRecord{}, fmt.Errorf("%w: idempotency record: %v", errCorrupt, err)
	}
	return toDomainIdempotency(r), nil
}
