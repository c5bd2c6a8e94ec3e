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

// publish publishes the 1-year LPR 2.90 (5-year 3.40) effective the day
// before the fixture's business date.
func (f *fixture) publish(t *testing.T) (pricing.Fixing, loanbook.RunReport) {
	t.Helper()
	fx := pricing.Fixing{EffectiveDate: f.today.AddDays(-1), OneYear: decimal.RequireFromString("2.90"),
		FiveYear: decimal.RequireFromString("3.40")}
	rep, err := f.svc.PublishFixing(context.Background(), tfpricing.Actor{KeyID: "admin", Role: tfpricing.RoleAdmin}, fx)
	if err != nil {
		t.Fatal(err)
	}
	return fx, rep
}

// The repricing is planned on every core and written batch by batch; the
// result must be what a serial walk gives, worked by hand: the shipped
// 1-year LPR in force at the loans' start (2026-12-01) is 3.00, the new
// fixing 2.90 replaces it and nothing else moves, so every period's rate
// falls by exactly 0.1000 and period 1 (2026-12-01 to 2027-03-01, 90 days,
// ACT/360) of loan 1 (CNY 10,000,000) pays 10,000,000 × 0.10 % × 90/360 =
// 2,500.00 less interest.
func TestRepricingMatchesHandWorkedChange(t *testing.T) {
	f := newFixture(t, "2026-11-03")
	ids := f.bookMany(t, 1_200) // three batches of 500
	before := make(map[string]pricing.Schedule, len(ids))
	for _, id := range ids {
		_, s, err := f.svc.ScheduleAsOf(context.Background(), id, f.today)
		if err != nil {
			t.Fatal(err)
		}
		before[id] = s
	}
	_, rep := f.publish(t)
	if rep.Checked != 1_200 || rep.Changed != 1_200 || rep.Transactions != 3 {
		t.Fatalf("report %+v, want 1,200 checked and changed in 3 transactions", rep)
	}
	tenBp := decimal.RequireFromString("0.1")
	var lastSeq uint64
	for i, id := range ids {
		_, after, err := f.svc.Loan(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		old := before[id]
		for p := range after.Lines {
			if got := old.Lines[p].Rate.Sub(after.Lines[p].Rate); !got.Equal(tenBp) {
				t.Fatalf("%s period %d: rate %s → %s, want 0.1000 lower", id, p+1, old.Lines[p].Rate, after.Lines[p].Rate)
			}
		}
		if i == 0 {
			l1 := after.Lines[0]
			if l1.Days != 90 || !old.Lines[0].Interest.Sub(l1.Interest).Equal(decimal.RequireFromString("2500")) {
				t.Errorf("loan 1 period 1: %d days, interest %s → %s, want 90 days and 2,500.00 less",
					l1.Days, old.Lines[0].Interest, l1.Interest)
			}
		}
		// Decisions are appended in loan id order, whatever core planned them.
		seq := f.decisionSeq(t, id)
		if seq <= lastSeq {
			t.Fatalf("%s: decision %d after %d, want loan id order", id, seq, lastSeq)
		}
		lastSeq = seq
	}
	f.verify(t)
	// A second publication of nothing new is refused, and a sweep on the
	// same day changes nothing: the plan's "already seen" path.
	again, err := f.svc.Sweep(context.Background(), tfpricing.Actor{KeyID: "system", Role: tfpricing.RoleAdmin})
	if err != nil || again.Changed != 0 || again.Checked != 1_200 {
		t.Fatalf("sweep after repricing: %+v, %v; want 1,200 checked and none changed", again, err)
	}
}

// Attestations committed while a repricing is planned must not be lost or
// overwritten by the plan: a loan whose state moved is recomputed in the
// write transaction. Afterwards every loan's stored schedule must be what a
// full recomputation from its stored attestations gives.
func TestRepricingWithConcurrentAttestations(t *testing.T) {
	f := newFixture(t, "2026-11-03")
	ids := f.bookMany(t, 1_000)
	f.today = tfpricing.NewDate(2027, 3, 10) // the 2026 SPTs are due: attestations move rates
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := w; i < len(ids); i += 8 { // half the loans, four writers
				v := int64(76 + i%8) // target 82: every value meets it
				a := pricing.Attestation{MetricID: "pet_fdy_energy", Year: 2026, Value: decimal.NewFromInt(v),
					VerifierName: "v", EvidenceSHA256: "00"}
				_, err := f.svc.Attest(context.Background(), tfpricing.Actor{}, loanbook.AttestationRequest{
					LoanID: ids[i], Attestation: a, IdempotencyKey: fmt.Sprint(i), RequestBody: []byte(fmt.Sprint(i))})
				if err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	fx, _ := f.publish(t)
	wg.Wait()
	for _, id := range ids {
		stored := f.storedIsRecomputed(t, id)
		// The fixing (2027-03-09) comes after the start; the benchmark
		// resets to it on the first anniversary, 2027-12-01 (period 5).
		if l := stored.Lines[4]; l.Start != tfpricing.NewDate(2027, 12, 1) || !l.BenchmarkRate.Equal(fx.OneYear) {
			t.Fatalf("%s: period 5 from %s on benchmark %s, want 2027-12-01 on the published %s", id, l.Start, l.BenchmarkRate, fx.OneYear)
		}
	}
	f.verify(t)
}

// storedIsRecomputed requires a loan's stored schedule (the one its latest
// decision recorded) to charge what a recomputation from its stored
// attestations as of the business date charges, and returns it.
func (f *fixture) storedIsRecomputed(t *testing.T, id string) pricing.Schedule {
	t.Helper()
	_, stored, err := f.svc.Loan(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	_, want, err := f.svc.ScheduleAsOf(context.Background(), id, f.today)
	if err != nil {
		t.Fatal(err)
	}
	for p := range want.Lines {
		if !stored.Lines[p].Rate.Equal(want.Lines[p].Rate) {
			t.Fatalf("%s period %d: stored rate %s, recomputed %s", id, p+1, stored.Lines[p].Rate, want.Lines[p].Rate)
		}
	}
	return stored
}

// decisionSeq returns the decision that holds a loan's schedule.
func (f *fixture) decisionSeq(t *testing.T, id string) uint64 {
	t.Helper()
	var seq uint64
	err := f.store.View(context.Background(), func(tx loanbook.Tx) error {
		st, err := tx.Schedule(id)
		seq = st.DecisionSeq
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return seq
}

// verify walks the decision chain and the file's own consistency check.
func (f *fixture) verify(t *testing.T) {
	t.Helper()
	rep, err := f.store.VerifyChain(context.Background(), nil, nil)
	if err != nil || !rep.OK {
		t.Fatalf("chain: %+v, %v", rep, err)
	}
	if err := f.store.Check(); err != nil {
		t.Fatal(err)
	}
}
