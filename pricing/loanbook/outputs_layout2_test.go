package loanbook_test

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/loanbook"
)

// Loan decisions keep their schedule's attestation statuses by digest
// (loan outputs layout 2, issue 18), and the two readers that show them —
// a loan's materialised schedule and an Idempotency-Key retry — give the
// statuses the schedule was computed with, every one of them, as before.
func TestLayout2StatusesReadBack(t *testing.T) {
	f := newFixture(t, "2026-11-27")
	id := f.bookMany(t, 1)[0]
	f.today = tfpricing.NewDate(2027, 3, 10)
	var outcomes []loanbook.AttestationOutcome
	for i, v := range []int64{80, 79, 81} {
		a := pricing.Attestation{MetricID: "pet_fdy_energy", Year: 2026, Value: decimal.NewFromInt(v),
			VerifierName: "v", EvidenceSHA256: "00"}
		o, err := f.svc.Attest(context.Background(), tfpricing.Actor{}, loanbook.AttestationRequest{
			LoanID: id, Attestation: a, IdempotencyKey: fmt.Sprintf("key-%d", i), RequestBody: []byte{byte('0' + i)}})
		if err != nil {
			t.Fatal(err)
		}
		outcomes = append(outcomes, o)
	}
	// The first is on time, the others correct it: three statuses.
	last := outcomes[2].Result
	if n := len(last.Schedule.Attestations); n != 3 {
		t.Fatalf("%d statuses computed, want 3", n)
	}
	if !bytes.Contains(last.Decision.Outputs, []byte(`"layout":2`)) ||
		!bytes.Contains(last.Decision.Outputs, []byte(`"attestations":{"count":3,`)) {
		t.Fatalf("outputs %s", last.Decision.Outputs)
	}
	_, sched, err := f.svc.Loan(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(sched.Attestations, last.Schedule.Attestations) {
		t.Errorf("Loan() statuses %+v, want %+v", sched.Attestations, last.Schedule.Attestations)
	}
	// The first attestation again, same key and body: its stored result
	// has the one status its decision's schedule had.
	a := pricing.Attestation{MetricID: "pet_fdy_energy", Year: 2026, Value: decimal.NewFromInt(80),
		VerifierName: "v", EvidenceSHA256: "00"}
	r, err := f.svc.Attest(context.Background(), tfpricing.Actor{}, loanbook.AttestationRequest{
		LoanID: id, Attestation: a, IdempotencyKey: "key-0", RequestBody: []byte{'0'}})
	if err != nil || !r.Replayed {
		t.Fatalf("retry: replayed %v, %v", r.Replayed, err)
	}
	if want := outcomes[0].Result.Schedule.Attestations; len(want) != 1 || !reflect.DeepEqual(r.Result.Schedule.Attestations, want) {
		t.Errorf("retry statuses %+v, want %+v", r.Result.Schedule.Attestations, want)
	}
}
