package storetest

import (
	"fmt"
	"math"
	"testing"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/loanbook"
)

// testLoanSince: LoanSince gives a loan's lifecycle, its schedule state
// and exactly its attestations after the sequence given — one stored
// under that sequence is not after it — and sees the transaction's own
// writes.
func testLoanSince(t *testing.T, s loanbook.Store) {
	update(t, s, func(tx loanbook.Tx) error {
		for range 3 {
			id, err := tx.NextLoanID()
			if err != nil {
				return err
			}
			if err := tx.PutLoan(sampleLoan(id)); err != nil {
				return err
			}
		}
		for _, a := range []struct {
			loan string
			att  pricing.Attestation
		}{{"L-00000001", attestation(2, 2023, "79")}, {"L-00000001", attestation(7, 2024, "73.50")},
			{"L-00000002", attestation(8, 2024, "70")}, {"L-00000001", attestation(9, 2024, "72")},
			{"L-00000003", attestation(1, 2023, "81")}} {
			if err := tx.PutAttestation(a.loan, a.att); err != nil {
				return err
			}
		}
		if err := tx.PutSchedule(sampleState("L-00000001", 3)); err != nil {
			return err
		}
		if err := tx.PutSchedule(sampleState("L-00000003", 1)); err != nil {
			return err
		}
		lc := loanbook.LoanLifecycle{Declassification: &loanbook.Declassification{EffectiveFrom: day("2025-01-01"),
			Ground: "misreporting", Reason: "m", ProposalID: "P-00000002", ApprovedOn: day("2024-12-20"), DecisionSeq: 8}}
		return tx.PutLifecycle("L-00000001", lc)
	})
	seqs := func(atts []pricing.Attestation) string {
		out := make([]uint64, len(atts))
		for i, a := range atts {
			out[i] = a.Seq
		}
		return fmt.Sprint(out)
	}
	view(t, s, func(tx loanbook.Tx) error {
		for _, c := range []struct {
			after uint64
			want  string
		}{{0, "[2 7 9]"}, {1, "[2 7 9]"}, {2, "[7 9]"}, {6, "[7 9]"}, {7, "[9]"}, {8, "[9]"}, {9, "[]"}, {10, "[]"},
			{math.MaxInt64, "[]"}, {math.MaxUint64, "[]"}} {
			ch, err := tx.LoanSince("L-00000001", c.after)
			if err != nil || seqs(ch.Attestations) != c.want {
				t.Errorf("after %d: attestations %s %v, want %s", c.after, seqs(ch.Attestations), err, c.want)
			}
		}
		ch, err := tx.LoanSince("L-00000001", 7)
		if err != nil {
			return err
		}
		want := sampleState("L-00000001", 3)
		if ch.State.LoanID != want.LoanID || ch.State.Stamp() != want.Stamp() || ch.State.AttChain != want.AttChain ||
			len(ch.State.Rates) != 2 || !ch.State.TotalInterest.Equal(want.TotalInterest) {
			t.Errorf("state %+v, want %+v", ch.State, want)
		}
		if d := ch.Lifecycle.Declassification; d == nil || d.Ground != "misreporting" || len(ch.Lifecycle.Plans) != 0 {
			t.Errorf("lifecycle %+v", ch.Lifecycle)
		}
		if a := ch.Attestations[0]; a.ID != pricing.AttestationID(9) || a.Year != 2024 || !a.Value.Equal(dec("72")) {
			t.Errorf("attestation read back %+v", a)
		}
		ch, err = tx.LoanSince("L-00000003", 0)
		if err != nil || seqs(ch.Attestations) != "[1]" || ch.Lifecycle.Declassification != nil || ch.State.Revision != 1 {
			t.Errorf("a loan without a lifecycle: %+v %v", ch, err)
		}
		for _, id := range []string{"L-00000002", "L-00000009", "nope", ""} { // no state; unknown; malformed
			_, err := tx.LoanSince(id, 0)
			wantCode(t, "loan since of "+id, err, tfpricing.ENOTFOUND)
		}
		return nil
	})
	update(t, s, func(tx loanbook.Tx) error {
		if err := tx.PutAttestation("L-00000001", attestation(11, 2024, "71")); err != nil {
			return err
		}
		ch, err := tx.LoanSince("L-00000001", 7) // the attestation written, not yet the state
		if err != nil || seqs(ch.Attestations) != "[9 11]" || ch.State.Revision != 3 {
			t.Errorf("in the writing transaction, before its state: %s revision %d %v", seqs(ch.Attestations), ch.State.Revision, err)
		}
		if ch, err := tx.LoanSince("L-00000003", 0); err != nil || seqs(ch.Attestations) != "[1]" {
			t.Errorf("another loan in the writing transaction: %s %v", seqs(ch.Attestations), err)
		}
		if err := tx.PutSchedule(sampleState("L-00000001", 4)); err != nil {
			return err
		}
		ch, err = tx.LoanSince("L-00000001", 7)
		if err != nil || seqs(ch.Attestations) != "[9 11]" || ch.State.Revision != 4 {
			t.Errorf("in the writing transaction: %s revision %d %v", seqs(ch.Attestations), ch.State.Revision, err)
		}
		return nil
	})
}
