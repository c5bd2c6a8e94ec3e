package loanbook_test

import (
	"context"
	"errors"
	"testing"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/loanbook"
)

// DESIGN.md §5: the same Idempotency-Key and body return the stored
// response; the same key with another body is 422 and changes nothing.
func TestIdempotencyKeyWithAnotherBody(t *testing.T) {
	testIdempotencyKeyWithAnotherBody(t, newFixture(t, "2026-11-27"))
}

func testIdempotencyKeyWithAnotherBody(t *testing.T, f *fixture) {
	id := f.bookMany(t, 1)[0]
	f.today = tfpricing.NewDate(2027, 3, 10)
	attest := func(body string) (loanbook.AttestationOutcome, error) {
		a := pricing.Attestation{MetricID: "pet_fdy_energy", Year: 2026, Value: decimal.NewFromInt(80),
			VerifierName: "v", EvidenceSHA256: "00"}
		return f.svc.Attest(context.Background(), tfpricing.Actor{}, loanbook.AttestationRequest{
			LoanID: id, Attestation: a, IdempotencyKey: "key-1", RequestBody: []byte(body)})
	}
	count := func() int {
		var n int
		err := f.store.View(context.Background(), func(tx loanbook.Tx) error {
			ds, _, err := tx.Decisions(loanbook.DecisionFilter{LoanID: id}, 0, 100)
			n = len(ds)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	first, err := attest(`{"value":"80"}`)
	if err != nil || first.Replayed {
		t.Fatalf("first request: replayed %v, error %v", first.Replayed, err)
	}
	before := count()
	if r, err := attest(`{"value":"80"}`); err != nil || !r.Replayed || r.Result.Decision.Seq != first.Result.Decision.Seq {
		t.Errorf("same key, same body: replayed %v, error %v; want the stored result", r.Replayed, err)
	}
	r, err := attest(`{"value":"81"}`)
	var e *tfpricing.Error
	if r.Replayed || !errors.As(err, &e) || e.Code != tfpricing.EUNPROCESSABLE ||
		len(e.Fields) != 1 || e.Fields[0].Field != "Idempotency-Key" {
		t.Errorf("same key, another body: replayed %v, error %v; want EUNPROCESSABLE naming Idempotency-Key", r.Replayed, err)
	}
	if after := count(); after != before {
		t.Errorf("%d decisions after the refused and replayed requests, want %d", after, before)
	}
	f.storedIsRecomputed(t, id)
}
