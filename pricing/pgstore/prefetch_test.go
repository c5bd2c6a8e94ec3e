package pgstore_test

import (
	"context"
	"testing"

	"tfpricing/pricing/loanbook"
)

// An attestation's idempotency read brings its schedule stamp, the newest
// fixing and an arrival number: one statement, sent without BEGIN, in a
// read transaction; each answer is taken once (the number asked again is
// a new one, from the server). With a record stored no number is taken.
func TestAttestationReadAhead(t *testing.T) {
	s, tr := openTraced(t)
	ctx := context.Background()
	f := fixingOn("2026-02-20")
	err := s.Update(ctx, func(tx loanbook.Tx) error {
		if err := tx.PutFixing(f); err != nil {
			return err
		}
		if err := tx.PutIdempotency(loanbook.IdempotencyRecord{Key: "attestation:L-00000001\x00used", Scope: "s", RequestHash: "h"}); err != nil {
			return err
		}
		return tx.PutSchedule(loanbook.ScheduleState{LoanID: "L-00000001", Revision: 4, DecisionSeq: 3})
	})
	if err != nil {
		t.Fatal(err)
	}
	tr.start()
	var first, second uint64
	err = s.View(ctx, func(tx loanbook.Tx) error {
		if _, ok, err := tx.Idempotency("attestation:L-00000001\x00new"); ok || err != nil {
			t.Errorf("a new key: %v %v", ok, err)
		}
		latest, err := tx.(loanbook.SharedTx).LatestPublished()
		if err != nil || latest != f.EffectiveDate {
			t.Errorf("newest fixing %v %v, want %v", latest, err, f.EffectiveDate)
		}
		if st, err := tx.ScheduleStamp("L-00000001"); err != nil || st.Revision != 4 || st.DecisionSeq != 3 {
			t.Errorf("stamp %+v %v", st, err)
		}
		if first, err = tx.(loanbook.SharedTx).NextAttestationSeq(); err != nil {
			return err
		}
		if n := len(tr.stmts); n != 1 || tr.count("BEGIN") != 0 {
			t.Errorf("%d statements sent, want one without BEGIN: %v", n, tr.stmts)
		}
		second, err = tx.(loanbook.SharedTx).NextAttestationSeq()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if first == 0 || second <= first {
		t.Errorf("arrival numbers %d then %d, want two, increasing", first, second)
	}
	tr.start()
	err = s.View(ctx, func(tx loanbook.Tx) error {
		if r, ok, err := tx.Idempotency("attestation:L-00000001\x00used"); !ok || err != nil || r.RequestHash != "h" {
			t.Errorf("a used key: %+v %v %v", r, ok, err)
		}
		return nil
	})
	if err != nil || tr.count("nextval") != 1 {
		t.Fatalf("%v; statements %v", err, tr.stmts)
	}
	err = s.View(ctx, func(tx loanbook.Tx) error {
		n, err := tx.(loanbook.SharedTx).NextAttestationSeq()
		if n != second+1 {
			t.Errorf("arrival number %d after %d: a replayed key took one", n, second)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// In a write transaction the stamp read ahead is taken by the call that
// read it, and not once the loan's schedule is written: the stamp asked
// then is the new one.
func TestWriteReadAheadStamp(t *testing.T) {
	s, tr := openTraced(t)
	ctx := context.Background()
	put := func(tx loanbook.Tx, rev uint64) error {
		return tx.PutSchedule(loanbook.ScheduleState{LoanID: "L-00000001", Revision: rev, DecisionSeq: rev})
	}
	if err := s.Update(ctx, func(tx loanbook.Tx) error { return put(tx, 1) }); err != nil {
		t.Fatal(err)
	}
	tr.start()
	err := s.Update(ctx, func(tx loanbook.Tx) error {
		if _, ok, err := tx.Idempotency("attestation:L-00000001\x00k"); ok || err != nil {
			return err
		}
		if st, err := tx.ScheduleStamp("L-00000001"); err != nil || st.Revision != 1 {
			t.Errorf("stamp %+v %v, want revision 1", st, err)
		}
		if n, m := tr.count("JOIN schedules"), tr.count("FROM schedules"); n != 1 || m != 0 {
			t.Errorf("%d schedule reads ahead and %d alone, want the one read ahead", n, m)
		}
		if _, _, err := tx.Idempotency("attestation:L-00000001\x00k2"); err != nil {
			return err
		}
		if err := put(tx, 2); err != nil {
			return err
		}
		if st, err := tx.ScheduleStamp("L-00000001"); err != nil || st.Revision != 2 {
			t.Errorf("stamp after writing the schedule %+v %v, want revision 2", st, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// After an attestation's first read, a View reads its loan — record,
// lifecycle, schedule state, attestations and the newest fixing — in one
// more statement, still without BEGIN; what it reads is what is stored.
// Once anything else has begun the transaction, the loan is read in it.
func TestAttestationLoanReadAhead(t *testing.T) {
	s, tr := openTraced(t)
	ctx := context.Background()
	err := s.Update(ctx, func(tx loanbook.Tx) error {
		if err := tx.PutLoan(loanbook.Loan{ID: "L-00000001"}); err != nil {
			return err
		}
		for _, seq := range []uint64{5, 3} {
			if err := tx.PutAttestation("L-00000001", attestationN(seq)); err != nil {
				return err
			}
		}
		if err := tx.PutFixing(fixingOn("2026-03-20")); err != nil {
			return err
		}
		return tx.PutSchedule(loanbook.ScheduleState{LoanID: "L-00000001", Revision: 3, DecisionSeq: 2})
	})
	if err != nil {
		t.Fatal(err)
	}
	read := func(tx loanbook.Tx) {
		t.Helper()
		if l, err := tx.Loan("L-00000001"); err != nil || l.ID != "L-00000001" {
			t.Errorf("loan %+v %v", l.ID, err)
		}
		if st, err := tx.Schedule("L-00000001"); err != nil || st.Revision != 3 {
			t.Errorf("schedule %+v %v", st.Stamp(), err)
		}
		atts, err := tx.Attestations("L-00000001")
		if err != nil || len(atts) != 2 || atts[0].Seq != 3 || atts[1].Seq != 5 {
			t.Errorf("attestations %v %v, want sequences 3 and 5", atts, err)
		}
		if d, err := tx.(loanbook.SharedTx).LatestPublished(); err != nil || d.String() != "2026-03-20" {
			t.Errorf("newest fixing %v %v", d, err)
		}
	}
	tr.start()
	err = s.View(ctx, func(tx loanbook.Tx) error {
		if _, _, err := tx.Idempotency("attestation:L-00000001\x00k"); err != nil {
			return err
		}
		read(tx)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.stmts) != 2 || tr.count("BEGIN") != 0 || tr.count("ROLLBACK") != 0 {
		t.Errorf("statements %v, want two without BEGIN", tr.stmts)
	}
	tr.start()
	err = s.View(ctx, func(tx loanbook.Tx) error {
		if _, _, err := tx.Idempotency("attestation:L-00000001\x00k"); err != nil {
			return err
		}
		if _, err := tx.ChainHead(); err != nil { // begins the transaction
			return err
		}
		read(tx)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if tr.count("ARRAY(") != 0 || tr.count("BEGIN") != 1 || tr.count("ROLLBACK") != 1 {
		t.Errorf("statements %v, want the loan read in a transaction", tr.stmts)
	}
}

// An arrival number handed out from an attestation's first read follows
// the attestations of the state that read saw; when the loan read later
// (another snapshot, before BEGIN or in the transaction begun since)
// shows another state, an attestation of it may hold a later number, so
// the View runs fn again, in one snapshot, where the number follows it —
// unless the loan is read with its attestations (before BEGIN) and every
// one comes before the number (sequence one less: kept; the same: not).
func TestStaleSnapshotRunsAgain(t *testing.T) {
	for _, c := range []struct {
		begun bool
		att   int // the other replica's attestation: its sequence less the number handed out; 1: none
		runs  int
	}{{false, 1, 2}, {true, 1, 2}, {false, 0, 2}, {false, -1, 1}, {true, -1, 2}} {
		s, _ := openTraced(t)
		ctx := context.Background()
		put := func(rev uint64, att int64) {
			t.Helper()
			err := s.Update(ctx, func(tx loanbook.Tx) error {
				if err := tx.PutLoan(loanbook.Loan{ID: "L-00000001"}); err != nil {
					return err
				}
				if att > 0 {
					if err := tx.PutAttestation("L-00000001", attestationN(uint64(att))); err != nil {
						return err
					}
				}
				return tx.PutSchedule(loanbook.ScheduleState{LoanID: "L-00000001", Revision: rev, DecisionSeq: rev})
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		put(1, 0)
		err := s.View(ctx, func(tx loanbook.Tx) error { // so that the number handed out is not 1
			_, err := tx.(loanbook.SharedTx).NextAttestationSeq()
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var runs int
		var revs []uint64
		err = s.View(ctx, func(tx loanbook.Tx) error {
			runs++
			if _, _, err := tx.Idempotency("attestation:L-00000001\x00k"); err != nil {
				return err
			}
			st, err := tx.ScheduleStamp("L-00000001")
			if err != nil {
				return err
			}
			seq, err := tx.(loanbook.SharedTx).NextAttestationSeq()
			if err != nil {
				return err
			}
			if runs == 1 { // another replica's attestation commits
				att := int64(0)
				if c.att < 1 {
					att = int64(seq) + int64(c.att)
				}
				put(2, att)
			}
			if c.begun {
				if _, err := tx.ChainHead(); err != nil {
					return err
				}
			}
			if _, err := tx.Loan("L-00000001"); err != nil {
				return err
			}
			revs = append(revs, st.Revision)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if runs != c.runs || len(revs) != 1 || revs[0] != uint64(c.runs) {
			t.Errorf("%+v: %d runs, completed with stamps %v; want %d runs, the last at revision %d", c, runs, revs, c.runs, c.runs)
		}
	}
}
