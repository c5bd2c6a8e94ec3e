package loanbook_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/loanbook"
)

// BenchmarkPrepareAttestation is the service's CPU of preparing one
// attestation (issue 14: prepareAttestation was a fifth of a PostgreSQL
// server's CPU under load) without the store's: validation, the preview,
// the schedule from the cached ratchet state, the status hash, the
// decision and the new schedule state, in one read transaction over ten
// warm loans of 20 attestations each. Nothing is stored, so every
// iteration prepares from the same views, as the retried members of a
// group-commit batch do.
func BenchmarkPrepareAttestation(b *testing.B) {
	f := newFixture(b, "2026-11-27")
	ids := f.bookMany(b, 10)
	f.today = tfpricing.NewDate(2027, 3, 10)
	att := func() pricing.Attestation {
		return pricing.Attestation{MetricID: "pet_fdy_energy", Year: 2026, Value: decimal.NewFromInt(80),
			VerifierName: "v", EvidenceSHA256: "00"}
	}
	for i := range 20 * len(ids) { // 20 each, the last of each leaving a warm view
		_, err := f.svc.Attest(context.Background(), tfpricing.Actor{}, loanbook.AttestationRequest{
			LoanID: ids[i%len(ids)], Attestation: att(), IdempotencyKey: fmt.Sprint("warm-", i), RequestBody: []byte{'w'}})
		if err != nil {
			b.Fatal(err)
		}
	}
	err := f.store.View(context.Background(), func(tx loanbook.Tx) error {
		for i := range ids { // the views as a read transaction caches them
			if err := f.svc.PrepareAttestation(tx, loanbook.AttestationRequest{LoanID: ids[i], Attestation: att()},
				f.today, uint64(1_000_000+i)); err != nil {
				return err
			}
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; b.Loop(); i++ {
			if err := f.svc.PrepareAttestation(tx, loanbook.AttestationRequest{LoanID: ids[i%len(ids)], Attestation: att()},
				f.today, uint64(2_000_000+i)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}
