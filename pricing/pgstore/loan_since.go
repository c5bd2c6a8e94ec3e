package pgstore

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"tfpricing/pricing/loanbook"
	"tfpricing/pricing/storedfmt"
)

// A replica whose cached view of a loan another replica has moved on from
// asks only for what changed (loanbook's catch-up): the lifecycle, the
// schedule state and the attestations after the last one it holds. Read
// before BEGIN (txn.early) it is loanAllSQL without the loan record and
// with only those attestations — the same single statement, snapshot and
// stale-snapshot guard (keep, over all of the loan's attestations).

// loanSinceSQL is loanSinceEarlySQL's counterpart inside a transaction.
const loanSinceSQL = `SELECT lc.record, s.record,
	ARRAY(SELECT a.record FROM attestations a WHERE a.loan_num = l.num AND a.seq > $2 ORDER BY a.seq)
	FROM loans l LEFT JOIN lifecycles lc ON lc.loan_num = l.num
	LEFT JOIN schedules s ON s.loan_num = l.num WHERE l.num = $1`

// loanSinceEarlySQL is loanAllSQL for LoanSince: $6 is the sequence after
// which attestations are sent.
const loanSinceEarlySQL = `SELECT lc.record, s.record, s.revision, s.decision_seq, s.latest_fixing, m.last, k.keep,
	CASE WHEN k.keep THEN ARRAY(SELECT a.record FROM attestations a WHERE a.loan_num = l.num AND a.seq > $6 ORDER BY a.seq) END,
	` + loanKeptSQL

// LoanSince implements loanbook.LoanTx.
func (t *txn) LoanSince(id string, afterSeq uint64) (loanbook.LoanChanges, error) {
	var out loanbook.LoanChanges
	n, err := t.loanNum(id)
	if err != nil {
		return out, err
	}
	id = fmt.Sprintf("%s%08d", loanPrefix, n)
	after := int64(math.MaxInt64) // sequences are bigint: none follows
	if afterSeq < math.MaxInt64 {
		after = int64(afterSeq)
	}
	var lifecycle, sched []byte
	var atts [][]byte
	if t.early && t.pipe.begin != "" {
		var e earlyTail
		err = t.judgeEarly(n, &e, t.pipe.conn.QueryRow(t.ctx, loanSinceEarlySQL, append(append([]any{n}, t.givenArgs(n)...), after)...).
			Scan(&lifecycle, &sched, &e.rev, &e.seq, &e.fixing, &e.last, &e.keep, &atts, &e.latest))
	} else if err = t.sinceRow(n, after).Scan(&lifecycle, &sched, &atts); err == nil && t.given != nil {
		err = t.checkGivenRecord(n, sched)
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return out, notFound("loan " + id)
	} else if err != nil {
		return out, err
	}
	if sched == nil {
		return out, notFound("schedule of loan " + id)
	}
	if out.State, err = storedfmt.ReadSchedule(sched); err != nil {
		return out, fmt.Errorf("%w: schedule of loan %s: %v", errCorrupt, id, err)
	}
	if out.Lifecycle, err = storedfmt.ReadLifecycle(id, lifecycle); err != nil {
		return out, err
	}
	out.Attestations, err = appendDecoded(nil, atts, "attestation", storedfmt.DomainAttestation)
	return out, err
}

// sinceRow runs loanSinceSQL. In a group-commit batch it goes ahead of the
// rows queued (bulk.go) unless one is the loan's schedule or one of its
// attestations — the loan written by an earlier call of the batch — as
// loanRow does; the lifecycle is no bulk row, and any other write queued
// makes it go after them all (readAhead).
func (t *txn) sinceRow(n, after int64) pgx.Row {
	if t.pipe == nil || !t.pipe.merge {
		return t.tx.QueryRow(t.ctx, loanSinceSQL, n, after)
	}
	key := strconv.FormatInt(n, 10)
	deps := []rowRef{{scheduleRows, key}}
	for _, q := range t.pipe.pending {
		if q.row.kind == attestationRows && strings.HasPrefix(q.row.key, key+"/") {
			deps = append(deps, q.row)
		}
	}
	return t.pipe.readAhead(t.ctx, deps, loanSinceSQL, n, after)
}
