package loanbook_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/audit"
	"tfpricing/pricing/loanbook"
)

// Attestations are computed outside the write transaction and stored only
// if their loan has not moved meanwhile. Eight writers on two loans make
// them collide constantly; afterwards each loan's history must read as a
// serial one: every attestation decision's inputs hold exactly the
// attestations committed before it plus its own, its own being the newest
// arrival, and the stored schedule is what a recomputation from all of
// them gives. The test fails when the stamp check is removed.
func TestAttestationsOnOneLoanSerialise(t *testing.T) {
	f := newFixture(t, "2026-11-27")
	ids := f.bookMany(t, 2)
	f.today = tfpricing.NewDate(2027, 3, 10)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := range 10 {
				metric, value := "pet_fdy_energy", int64(78+i%9) // target 82: met and missed
				if i%3 == 0 {
					metric, value = "carbon_intensity", int64(1+i%2) // target 1.5
				}
				a := pricing.Attestation{MetricID: metric, Year: 2026, Value: decimal.NewFromInt(value),
					VerifierName: "v", EvidenceSHA256: "00"}
				key := fmt.Sprintf("w%d-%d", w, i)
				_, err := f.svc.Attest(context.Background(), tfpricing.Actor{}, loanbook.AttestationRequest{
					LoanID: ids[(w+i)%2], Attestation: a, IdempotencyKey: key, RequestBody: []byte(key)})
				if err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, id := range ids {
		var decisions []audit.Decision
		err := f.store.View(context.Background(), func(tx loanbook.Tx) error {
			var err error
			decisions, _, err = tx.Decisions(loanbook.DecisionFilter{LoanID: id}, 0, 1000)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var committed []pricing.Attestation
		for _, d := range decisions {
			in, err := audit.DecodeLoanInputs(d.Inputs)
			if err != nil {
				t.Fatal(err)
			}
			var ev struct {
				AttestationID string `json:"attestation_id"`
			}
			if err := json.Unmarshal(in.Event, &ev); err != nil {
				t.Fatal(err)
			}
			n := len(in.Attestations)
			if n != len(committed)+1 {
				t.Fatalf("%s decision %d holds %d attestations after %d committed", id, d.Seq, n, len(committed))
			}
			for i, a := range committed {
				if in.Attestations[i].ID != a.ID {
					t.Fatalf("%s decision %d: attestation %d is %s, committed %s", id, d.Seq, i, in.Attestations[i].ID, a.ID)
				}
			}
			own := in.Attestations[n-1]
			if own.ID != ev.AttestationID || (n > 1 && own.Seq <= committed[n-2].Seq) {
				t.Fatalf("%s decision %d: its attestation %s (seq %d) is not the newest arrival after %v",
					id, d.Seq, ev.AttestationID, own.Seq, committed)
			}
			if seen[own.ID] {
				t.Fatalf("attestation id %s used twice", own.ID)
			}
			seen[own.ID] = true
			committed = append(committed, own)
		}
		if len(committed) != 40 {
			t.Errorf("%s: %d attestation decisions, want 40", id, len(committed))
		}
		f.storedIsRecomputed(t, id)
	}
	f.verify(t)
}
