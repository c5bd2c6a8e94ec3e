package loanbook_test

import (
	"context"
	"slices"
	"testing"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/loanbook"
	"tfpricing/pricing/pgstore/pgtest"
)

// A fixing published through one replica is used by another's very next
// quote, schedule and attestation — no refresh, no wait in between: every
// transaction that prices checks the newest published fixing it reads
// against the curve it holds. Each path is tried on a replica of its own
// (its own Service and pool over the one database), started before the
// publication, so that no path warms another's curve.
//
// The change is the one worked by hand in TestRepricingMatchesHandWorkedChange:
// the shipped 1-year LPR in force from the loan's start (2026-12-01) is
// 3.00, the fixing 2.90 effective 2026-11-02 replaces it, so every
// period's rate falls by exactly 0.1000.
//
// bbolt is not tried: one process holds a bbolt file, so nothing but the
// Service that publishes can change it.
func TestFixingSeenByTheOtherReplicasNextRequest(t *testing.T) {
	ctx := context.Background()
	url := pgtest.Database(t)
	a := newPGFixtureAt(t, url, "2026-11-03")
	id := a.bookMany(t, 1)[0]
	// The attesting replica's business date is after 2026, whose SPT it
	// attests; the fixing is the newest one then too.
	quoting, scheduling, attesting := newPGFixtureAt(t, url, "2026-11-03"), newPGFixtureAt(t, url, "2026-11-03"),
		newPGFixtureAt(t, url, "2027-03-10")
	_, before, err := a.svc.ScheduleAsOf(ctx, id, a.today)
	if err != nil {
		t.Fatal(err)
	}
	fx, _ := a.publish(t)

	curve, err := quoting.svc.CurrentCurve(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if f, ok := curve.InForce(a.today); !ok || f.EffectiveDate != fx.EffectiveDate || !f.OneYear.Equal(fx.OneYear) {
		t.Errorf("the other replica's quote curve has %+v in force on %s, want the fixing just published %+v", f, a.today, fx)
	}

	_, after, err := scheduling.svc.ScheduleAsOf(ctx, id, a.today)
	if err != nil {
		t.Fatal(err)
	}
	tenBp := decimal.RequireFromString("0.1")
	for p := range after.Lines {
		if got := before.Lines[p].Rate.Sub(after.Lines[p].Rate); !got.Equal(tenBp) {
			t.Fatalf("the other replica's schedule, period %d: rate %s, was %s; want 0.1000 lower", p+1, after.Lines[p].Rate, before.Lines[p].Rate)
		}
	}

	out, err := attesting.svc.Attest(ctx, tfpricing.Actor{KeyID: "v", Role: "verifier"}, loanbook.AttestationRequest{
		LoanID: id, IdempotencyKey: "k-1", RequestBody: []byte("{}"),
		Attestation: pricing.Attestation{MetricID: "pet_fdy_energy", Year: 2026, Value: decimal.NewFromInt(80),
			AcceptedOn: attesting.today, VerifierName: "v", EvidenceSHA256: "00"}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(out.Result.Decision.Fixings, func(f pricing.Fixing) bool { return f.EffectiveDate == fx.EffectiveDate }) {
		t.Errorf("the other replica's attestation decision names fixings %v, not the one just published (%s)",
			out.Result.Decision.Fixings, fx.EffectiveDate)
	}
	if r := out.Result.Schedule.Lines[0].Rate; !r.Equal(after.Lines[0].Rate) {
		t.Errorf("the other replica's attestation priced period 1 at %s, want %s", r, after.Lines[0].Rate)
	}
}
