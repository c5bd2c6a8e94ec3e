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
// serial one: every attestation decision's inputs reference exactly the
// attestations committed before it (their chain) and hold its own, the
// newest arrival, and the stored schedule is what a recomputation from all of
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
			// Layout 2: the decision references the attestations committed
			// before it by their chain and holds only its own.
			want, err := audit.ChainAttestations(committed)
			if err != nil {
				t.Fatal(err)
			}
			if in.Earlier == nil || *in.Earlier != want {
				t.Fatalf("%s decision %d references %+v after %d committed, want %+v", id, d.Seq, in.Earlier, len(committed), want)
			}
			if len(in.Attestations) != 1 {
				t.Fatalf("%s decision %d holds %d attestations, want its own", id, d.Seq, len(in.Attestations))
			}
			own := in.Attestations[0]
			if own.ID != ev.AttestationID || (len(committed) > 0 && own.Seq <= committed[len(committed)-1].Seq) {
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
