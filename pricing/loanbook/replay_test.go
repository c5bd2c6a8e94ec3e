package loanbook_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/audit"
	"tfpricing/pricing/loanbook"
)

// replayAll replays every decision with ReplayRange and returns the
// outcome of each by sequence.
func (f *fixture) replayAll(t *testing.T) map[uint64]*audit.ReplayResult {
	t.Helper()
	head, err := f.svc.ChainHead(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[uint64]*audit.ReplayResult{}
	err = f.svc.ReplayRange(context.Background(), 1, head.Seq, func(seq uint64, res *audit.ReplayResult, _ audit.DecisionKind, err error) {
		if err != nil || res == nil {
			t.Fatalf("decision %d: %v", seq, err)
		}
		out[seq] = res
	})
	if err != nil || len(out) != int(head.Seq) {
		t.Fatalf("replayed %d of %d: %v", len(out), head.Seq, err)
	}
	return out
}

// alteredStore is a store whose transactions give one loan's attestations
// altered, as a data file edited by hand would.
type alteredStore struct {
	fixtureStore
	loanID string
	alter  func([]pricing.Attestation) []pricing.Attestation
}

type alteredTx struct {
	loanbook.Tx
	s *alteredStore
}

func (s *alteredStore) View(ctx context.Context, fn func(loanbook.Tx) error) error {
	return s.fixtureStore.View(ctx, func(tx loanbook.Tx) error { return fn(alteredTx{tx, s}) })
}

func (tx alteredTx) Attestations(loanID string) ([]pricing.Attestation, error) {
	atts, err := tx.Tx.Attestations(loanID)
	if err != nil || loanID != tx.s.loanID {
		return atts, err
	}
	return tx.s.alter(append([]pricing.Attestation(nil), atts...)), nil
}

// attestThree books two loans and attests the first three times (met,
// missed, met), then publishes a fixing that reprices both.
func attestThree(t *testing.T) (*fixture, []string) {
	t.Helper()
	f := newFixture(t, "2026-11-27")
	if _, err := f.svc.LoadReference(context.Background(), tfpricing.Actor{KeyID: "system", Role: "system"}); err != nil {
		t.Fatal(err) // the documents replay reads
	}
	ids := f.bookMany(t, 2)
	f.today = tfpricing.NewDate(2027, 3, 10)
	for i, v := range []int64{80, 90, 81} {
		a := pricing.Attestation{MetricID: "pet_fdy_energy", Year: 2026, Value: decimal.NewFromInt(v),
			VerifierName: "v", EvidenceSHA256: "00"}
		key := fmt.Sprint(i)
		if _, err := f.svc.Attest(context.Background(), tfpricing.Actor{}, loanbook.AttestationRequest{
			LoanID: ids[0], Attestation: a, IdempotencyKey: key, RequestBody: []byte(key)}); err != nil {
			t.Fatal(err)
		}
	}
	f.publish(t)
	return f, ids
}

// Decisions of loan inputs layout 2 replay from the attestations in the
// store; the repricing after three attestations references all three.
func TestLayout2DecisionsReplay(t *testing.T) {
	f, ids := attestThree(t)
	for seq, res := range f.replayAll(t) {
		if !res.Match {
			t.Errorf("decision %d: %+v", seq, res)
		}
	}
	var decisions []audit.Decision
	if err := f.store.View(context.Background(), func(tx loanbook.Tx) (err error) {
		decisions, _, err = tx.Decisions(loanbook.DecisionFilter{LoanID: ids[0]}, 0, 100)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	last := decisions[len(decisions)-1]
	in, err := audit.DecodeLoanInputs(last.Inputs)
	if err != nil {
		t.Fatal(err)
	}
	if last.Kind != audit.DecisionRepricing || in.Earlier == nil || in.Earlier.Count != 3 || len(in.Attestations) != 0 {
		t.Fatalf("last decision of %s: %s, earlier %+v, %d attestations held", ids[0], last.Kind, in.Earlier, len(in.Attestations))
	}
}

// An attestation row altered in the store (the second, 90 → 80: missed
// becomes met) is found by replaying every later decision of its loan,
// as a difference of the chain they reference; the decision that holds
// the attestation itself, and those of the other loan, still match.
func TestLayout2AlteredAttestationIsFound(t *testing.T) {
	f, ids := attestThree(t)
	var atts []pricing.Attestation
	if err := f.store.View(context.Background(), func(tx loanbook.Tx) (err error) {
		atts, err = tx.Attestations(ids[0])
		return err
	}); err != nil || len(atts) != 3 {
		t.Fatalf("%d attestations, %v", len(atts), err)
	}
	altered := &alteredStore{fixtureStore: f.store, loanID: ids[0], alter: func(a []pricing.Attestation) []pricing.Attestation {
		a[1].Value = decimal.NewFromInt(80)
		return a
	}}
	g := *f
	var err error
	g.svc, err = loanbook.New(context.Background(), loanbook.Config{Store: altered, Catalogues: f.ref.Catalogues,
		Policies: f.ref.Policies, Shipped: f.ref.Fixings, Today: func() tfpricing.Date { return f.today }})
	if err != nil {
		t.Fatal(err)
	}
	differ := 0
	for seq, res := range g.replayAll(t) {
		d := f.decision(t, seq)
		in, _ := audit.DecodeLoanInputs(d.Inputs)
		refersToIt := d.LoanID == ids[0] && in.Earlier != nil && in.Earlier.ThroughSeq >= atts[1].Seq
		chain := false
		for _, diff := range res.Differences {
			chain = chain || diff.Path == "inputs.earlier_attestations.chain"
		}
		if res.Match == refersToIt || chain != refersToIt {
			t.Errorf("decision %d (%s, loan %s, earlier %+v): match %v, differences %+v", seq, d.Kind, d.LoanID, in.Earlier, res.Match, res.Differences)
		}
		if refersToIt {
			differ++
		}
	}
	if differ != 2 { // the third attestation and the repricing
		t.Errorf("%d decisions found the altered attestation, want 2", differ)
	}
}

func (f *fixture) decision(t *testing.T, seq uint64) audit.Decision {
	t.Helper()
	var d audit.Decision
	if err := f.store.View(context.Background(), func(tx loanbook.Tx) (err error) {
		d, err = tx.Decision(seq)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return d
}

// A schedule read is kept with the loan's view for the next read of the
// same date, but only on the same curve: a fixing published for a later
// date changes no stored state (no stamp moves) yet changes what a read as
// of a date after it shows. Period 5 of the test loan starts on its first
// anniversary, 2027-12-01, when its benchmark resets to the 1-year LPR in
// force: the shipped 3.00 before, the published 2.50 (effective
// 2027-06-01) after.
func TestScheduleReadFollowsTheCurve(t *testing.T) {
	f := newFixture(t, "2026-11-27")
	ids := f.bookMany(t, 1)
	if _, err := f.svc.Sweep(context.Background(), tfpricing.Actor{KeyID: "system", Role: "system"}); err != nil {
		t.Fatal(err) // the fixture's state notes the fixing in force
	}
	later := tfpricing.NewDate(2028, 1, 15)
	read := func() pricing.Schedule {
		t.Helper()
		_, s, err := f.svc.ScheduleAsOf(context.Background(), ids[0], later)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	before := read()
	if l := before.Lines[4]; l.Start != tfpricing.NewDate(2027, 12, 1) || !l.BenchmarkRate.Equal(decimal.RequireFromString("3.00")) {
		t.Fatalf("period 5 from %s on %s, want 2027-12-01 on 3.00", l.Start, l.BenchmarkRate)
	}
	read() // kept
	var stamp loanbook.ScheduleStamp
	stampOf := func() loanbook.ScheduleStamp {
		if err := f.store.View(context.Background(), func(tx loanbook.Tx) (err error) {
			stamp, err = tx.ScheduleStamp(ids[0])
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return stamp
	}
	was := stampOf()
	fx := pricing.Fixing{EffectiveDate: tfpricing.NewDate(2027, 6, 1), OneYear: decimal.RequireFromString("2.50"),
		FiveYear: decimal.RequireFromString("3.00")}
	if _, err := f.svc.PublishFixing(context.Background(), tfpricing.Actor{KeyID: "admin", Role: tfpricing.RoleAdmin}, fx); err != nil {
		t.Fatal(err)
	}
	if stampOf() != was {
		t.Fatalf("the future fixing moved the stored state: %+v → %+v", was, stamp)
	}
	if l := read().Lines[4]; !l.BenchmarkRate.Equal(fx.OneYear) {
		t.Errorf("period 5 on %s after the fixing, want %s", l.BenchmarkRate, fx.OneYear)
	}
}
