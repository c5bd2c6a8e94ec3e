package loanbook_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/loanbook"
)

// An attestation and a repricing extend the ratchet state and the status
// digest's hash kept with the loan's view (pricing.ComputeFrom,
// audit.HashStatuses) instead of walking and hashing the history again.
// Whatever path each took, every result must be the from-scratch one:
// each attestation's status, SPT and schedule are compared with
// PreviewAttestation and Compute over the stored history, and at the end
// every decision replays (replay recomputes the schedule and the status
// digest from scratch and compares the stored outputs byte for byte).
// The history has what makes an extension fall back or copy: back-dated
// acceptances that sort among later statuses of another SPT, corrections,
// late ones under ignore (policy 2026.1) and cure (2027.1, loans booked in
// 2027), repricings between them, the business date moving past the due
// date, and concurrent attestations of the same loans.
func TestAttestationsExtendTheRatchetAsFromScratch(t *testing.T) {
	f := newFixture(t, "2026-11-27")
	if _, err := f.svc.LoadReference(context.Background(), tfpricing.Actor{KeyID: "system", Role: "system"}); err != nil {
		t.Fatal(err)
	}
	ignore := f.bookMany(t, 2) // 2026.1
	f.today = tfpricing.NewDate(2027, 3, 10)
	cure := f.bookMany(t, 2) // 2027.1: grace 181 days, late attestations cure
	loans := append(ignore, cure...)
	n := 0
	attest := func(id, metric string, value string, accepted tfpricing.Date) {
		t.Helper()
		n++
		a := pricing.Attestation{MetricID: metric, Year: 2026, Value: decimal.RequireFromString(value),
			AcceptedOn: accepted, VerifierName: "v", EvidenceSHA256: "00"}
		loan, before := f.history(t, id)
		pol := f.policyOf(t, loan)
		cand := a
		if cand.AcceptedOn.IsZero() {
			cand.AcceptedOn = f.today
		}
		wantSt, wantSPT, werr := pricing.PreviewAttestation(loan.Terms, pol, before, cand)
		key := fmt.Sprint("serial-", n)
		out, err := f.svc.Attest(context.Background(), tfpricing.Actor{}, loanbook.AttestationRequest{
			LoanID: id, Attestation: a, IdempotencyKey: key, RequestBody: []byte(key)})
		if (err == nil) != (werr == nil) {
			t.Fatalf("attestation %d: %v, preview %v", n, err, werr)
		}
		if err != nil {
			return
		}
		res := out.Result
		cand.ID, cand.Seq = res.Attestation.ID, res.Attestation.Seq
		wantSt, wantSPT, _ = pricing.PreviewAttestation(loan.Terms, pol, before, cand)
		if res.Status.Status != wantSt.Status || res.Status.Outcome != wantSt.Outcome || fmt.Sprintf("%+v", res.SPT) != fmt.Sprintf("%+v", wantSPT) {
			t.Fatalf("attestation %d: %+v %+v, from scratch %+v %+v", n, res.Status, res.SPT, wantSt, wantSPT)
		}
		_, all := f.history(t, id)
		want, err := pricing.Compute(pricing.Input{Terms: loan.Terms, Policy: pol, Curve: f.svc.Curve(),
			Attestations: all, AsOf: f.today})
		if err != nil || fmt.Sprintf("%+v", res.Schedule) != fmt.Sprintf("%+v", want) {
			t.Fatalf("attestation %d: schedule\n%+v\nfrom scratch (%v)\n%+v", n, res.Schedule, err, want)
		}
	}
	for _, id := range loans {
		attest(id, "pet_fdy_energy", "80", tfpricing.NewDate(2027, 3, 5))     // on time, met
		attest(id, "carbon_intensity", "1.6", tfpricing.Date{})               // on time, missed (today)
		attest(id, "pet_fdy_energy", "83", tfpricing.NewDate(2027, 3, 6))     // correction, among the statuses
		attest(id, "pet_fdy_energy", "81", tfpricing.NewDate(2027, 3, 4))     // refused: before its year's latest
		attest(id, "carbon_intensity", "1.4", tfpricing.NewDate(2027, 3, 10)) // correction
	}
	f.publish(t)
	f.today = tfpricing.NewDate(2027, 8, 1) // past both due dates
	f.publish(t)
	for _, id := range loans {
		attest(id, "pet_fdy_energy", "70", tfpricing.NewDate(2027, 4, 1)) // correction, back-dated before the repricing
		attest(id, "carbon_intensity", "1.7", tfpricing.Date{})           // correction
	}
	// A third loan of each policy with no on-time attestation: late ones.
	f.today = tfpricing.NewDate(2026, 11, 27)
	lateIgnore := f.bookMany(t, 1)[0]
	f.today = tfpricing.NewDate(2027, 3, 10)
	lateCure := f.bookMany(t, 1)[0]
	f.today = tfpricing.NewDate(2027, 8, 1)
	for _, id := range []string{lateIgnore, lateCure} {
		attest(id, "pet_fdy_energy", "80", tfpricing.Date{})                 // late
		attest(id, "carbon_intensity", "1.2", tfpricing.NewDate(2027, 7, 2)) // late, back-dated
		attest(id, "pet_fdy_energy", "90", tfpricing.Date{})                 // late again
	}
	loans = append(loans, lateIgnore, lateCure)
	f.today = f.today.AddDays(1)
	f.publish(t)
	var wg sync.WaitGroup
	for w := range 6 {
		wg.Go(func() {
			for i := range 8 {
				metric, value := "pet_fdy_energy", fmt.Sprint(76+i%9)
				if i%3 == 0 {
					metric, value = "carbon_intensity", fmt.Sprint(1+i%2)
				}
				a := pricing.Attestation{MetricID: metric, Year: 2026, Value: decimal.RequireFromString(value),
					VerifierName: "v", EvidenceSHA256: "00"}
				key := fmt.Sprintf("w%d-%d", w, i)
				if _, err := f.svc.Attest(context.Background(), tfpricing.Actor{}, loanbook.AttestationRequest{
					LoanID: loans[(w+i)%len(loans)], Attestation: a, IdempotencyKey: key, RequestBody: []byte(key)}); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	f.today = f.today.AddDays(1)
	f.publish(t)
	for seq, res := range f.replayAll(t) {
		if !res.Match {
			t.Errorf("decision %d does not replay: %+v", seq, res.Differences)
		}
	}
	for _, id := range loans {
		f.storedIsRecomputed(t, id)
	}
	f.verify(t)
}

// history returns a loan and its stored attestations.
func (f *fixture) history(t *testing.T, id string) (loanbook.Loan, []pricing.Attestation) {
	t.Helper()
	var l loanbook.Loan
	var atts []pricing.Attestation
	err := f.store.View(context.Background(), func(tx loanbook.Tx) (err error) {
		if l, err = tx.Loan(id); err != nil {
			return err
		}
		atts, err = tx.Attestations(id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return l, atts
}

// policyOf returns the shipped policy a loan froze.
func (f *fixture) policyOf(t *testing.T, l loanbook.Loan) *pricing.Policy {
	t.Helper()
	for _, p := range f.ref.Policies.All() {
		if p.Digest == l.Policy.Digest {
			return p
		}
	}
	t.Fatalf("no policy %s", l.Policy.Digest)
	return nil
}
