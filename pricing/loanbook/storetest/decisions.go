package storetest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"tfpricing"
	"tfpricing/pricing/audit"
	"tfpricing/pricing/loanbook"
)

// The decision log: the chain, listing, and what an Update guarantees.

// simulation returns a decision that needs no documents: a simulation.
func simulation(loanID string, bd string, n int) audit.Decision {
	return audit.Decision{Kind: audit.DecisionSimulation, LoanID: loanID, Actor: tfpricing.Actor{KeyID: "k", Role: "analyst"},
		RecordedAt: time.Date(2026, 11, 27, 8, 0, n, 0, time.UTC), BusinessDate: day(bd), AsOf: day(bd),
		Inputs: []byte(fmt.Sprintf(`{"n":%d}`, n)), Outputs: []byte(`{"b":1,"a":[]}`), EngineVersion: audit.EngineVersion}
}

func testDecisionChain(t *testing.T, s loanbook.Store) {
	view(t, s, func(tx loanbook.Tx) error {
		if h, err := tx.ChainHead(); err != nil || h.Seq != 0 || h.Hash != audit.GenesisHash {
			t.Errorf("empty chain head %+v %v", h, err)
		}
		return nil
	})
	var appended []audit.Decision
	for i := range 3 {
		update(t, s, func(tx loanbook.Tx) error {
			d := simulation("", "2026-11-27", i)
			if err := tx.AppendDecision(&d); err != nil {
				return err
			}
			appended = append(appended[:i], d)
			return nil
		})
	}
	view(t, s, func(tx loanbook.Tx) error {
		prev := audit.GenesisHash
		for i, d := range appended {
			if d.Seq != uint64(i+1) || d.PrevHash != prev || d.Hash == "" || d.OutputDigest == "" {
				t.Errorf("decision %d sealed as %+v", i+1, d)
			}
			prev = d.Hash
			got, err := tx.Decision(d.Seq)
			if err != nil || got.Hash != d.Hash || string(got.Outputs) != `{"a":[],"b":1}` || got.Kind != d.Kind {
				t.Errorf("decision %d read back %+v %v", d.Seq, got, err)
			}
		}
		if h, err := tx.ChainHead(); err != nil || h.Seq != 3 || h.Hash != prev {
			t.Errorf("chain head %+v %v, want 3 %s", h, err, prev)
		}
		_, err := tx.Decision(4)
		wantCode(t, "decision 4", err, tfpricing.ENOTFOUND)
		recs, err := tx.DecisionRecords(2, 5)
		if err != nil || len(recs) != 2 {
			t.Fatalf("records from 2: %d %v", len(recs), err)
		}
		for i, r := range recs {
			if d, err := audit.DecodeDecision(r); err != nil || d.Seq != uint64(i+2) || string(r) != string(appended[i+1].CanonicalBytes()) {
				t.Errorf("stored record %d: %v\n%s", i+2, err, r)
			}
		}
		return nil
	})
	report, err := audit.VerifyChain(func() func() (audit.Decision, bool, error) {
		seq := uint64(0)
		return func() (audit.Decision, bool, error) {
			seq++
			var d audit.Decision
			err := s.View(ctx, func(tx loanbook.Tx) (err error) { d, err = tx.Decision(seq); return err })
			if tfpricing.ErrorCode(err) == tfpricing.ENOTFOUND {
				return audit.Decision{}, false, nil
			}
			return d, err == nil, err
		}
	}())
	if err != nil || !report.OK || report.Checked != 3 {
		t.Errorf("the stored chain does not verify: %+v %v", report, err)
	}
}

func testDecisionListing(t *testing.T, s loanbook.Store) {
	update(t, s, func(tx loanbook.Tx) error {
		for i, c := range []struct{ loan, bd string }{{"L-00000001", "2026-11-27"}, {"", "2026-11-28"},
			{"L-00000002", "2026-11-28"}, {"L-00000001", "2026-11-29"}, {"L-00000001", "2026-11-30"}} {
			d := simulation(c.loan, c.bd, i)
			if err := tx.AppendDecision(&d); err != nil {
				return err
			}
		}
		return nil
	})
	list := func(f loanbook.DecisionFilter, after uint64, limit int) string {
		var out string
		view(t, s, func(tx loanbook.Tx) error {
			ds, more, err := tx.Decisions(f, after, limit)
			if err != nil {
				return err
			}
			for _, d := range ds {
				out += fmt.Sprint(d.Seq, " ")
			}
			out += fmt.Sprint(more)
			return nil
		})
		return out
	}
	for _, c := range []struct {
		f     loanbook.DecisionFilter
		after uint64
		limit int
		want  string
	}{
		{loanbook.DecisionFilter{}, 0, 10, "1 2 3 4 5 false"},
		{loanbook.DecisionFilter{}, 0, 2, "1 2 true"},
		{loanbook.DecisionFilter{}, 2, 2, "3 4 true"},
		{loanbook.DecisionFilter{LoanID: "L-00000001"}, 0, 2, "1 4 true"},
		{loanbook.DecisionFilter{LoanID: "L-00000001"}, 4, 2, "5 false"},
		{loanbook.DecisionFilter{From: day("2026-11-28"), To: day("2026-11-29")}, 0, 10, "2 3 4 false"},
		{loanbook.DecisionFilter{Kind: audit.DecisionQuote}, 0, 10, "false"},
		{loanbook.DecisionFilter{LoanID: "L-00000009"}, 0, 10, "false"},
	} {
		if got := list(c.f, c.after, c.limit); got != c.want {
			t.Errorf("%+v after %d limit %d: %s, want %s", c.f, c.after, c.limit, got, c.want)
		}
	}
}

// An Update whose function fails leaves nothing behind, and returns that
// error; a committed one is seen by the next View.
func testUpdateIsAtomic(t *testing.T, s loanbook.Store) {
	boom := errors.New("refused")
	err := s.Update(ctx, func(tx loanbook.Tx) error {
		id, err := tx.NextLoanID()
		if err != nil {
			return err
		}
		if err := tx.PutLoan(sampleLoan(id)); err != nil {
			return err
		}
		d := simulation(id, "2026-11-27", 1)
		if err := tx.AppendDecision(&d); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("update: %v, want the function's error", err)
	}
	view(t, s, func(tx loanbook.Tx) error {
		_, err := tx.Loan("L-00000001")
		wantCode(t, "a loan written by a failed update", err, tfpricing.ENOTFOUND)
		if h, err := tx.ChainHead(); err != nil || h.Seq != 0 {
			t.Errorf("chain head after a failed update: %+v %v", h, err)
		}
		return nil
	})
	update(t, s, func(tx loanbook.Tx) error {
		id, err := tx.NextLoanID()
		if err != nil {
			return err
		}
		return tx.PutLoan(sampleLoan(id))
	})
	view(t, s, func(tx loanbook.Tx) error {
		_, err := tx.Loan("L-00000001")
		return err
	})
}

// Concurrent updates, some failing, each commit or not as a whole: the
// chain holds exactly the decisions of the updates that succeeded, in one
// unbroken sequence.
func testConcurrentUpdates(t *testing.T, s loanbook.Store) {
	const n = 40
	errs := make(chan error, n)
	for i := range n {
		go func() {
			errs <- s.Update(ctx, func(tx loanbook.Tx) error {
				d := simulation("", "2026-11-27", i)
				if err := tx.AppendDecision(&d); err != nil {
					return err
				}
				if i%5 == 0 {
					return fmt.Errorf("refused %d", i)
				}
				return nil
			})
		}()
	}
	failed := 0
	for range n {
		if err := <-errs; err != nil {
			failed++
		}
	}
	if failed != n/5 {
		t.Errorf("%d updates failed, want %d", failed, n/5)
	}
	view(t, s, func(tx loanbook.Tx) error {
		h, err := tx.ChainHead()
		if err != nil || h.Seq != n-n/5 {
			t.Errorf("chain head %+v %v, want %d", h, err, n-n/5)
		}
		seen := map[string]bool{}
		prev := audit.GenesisHash
		for seq := uint64(1); seq <= h.Seq; seq++ {
			d, err := tx.Decision(seq)
			if err != nil || d.PrevHash != prev {
				t.Fatalf("decision %d: %v, prev %s want %s", seq, err, d.PrevHash, prev)
			}
			prev = d.Hash
			if seen[string(d.Inputs)] {
				t.Errorf("decision %s stored twice", d.Inputs)
			}
			seen[string(d.Inputs)] = true
		}
		return nil
	})
}
