package loanbook

import (
	"os"
	"testing"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/catalog"
	"tfpricing/pricing"
	"tfpricing/pricing/audit"
)

// sinceTx answers LoanSince with what it holds, as a store would.
type sinceTx struct {
	Tx
	changes LoanChanges
	after   []uint64
}

func (tx *sinceTx) LoanSince(id string, after uint64) (LoanChanges, error) {
	tx.after = append(tx.after, after)
	return tx.changes, nil
}

func fullAtt(seq uint64, value int64) pricing.Attestation {
	return pricing.Attestation{ID: pricing.AttestationID(seq), Seq: seq, MetricID: "pet_fdy_energy", Year: 2026,
		Value: decimal.NewFromInt(value), AcceptedOn: tfpricing.NewDate(2027, 3, 1), VerifierName: "v", EvidenceSHA256: "00"}
}

func chainOver(t *testing.T, atts ...pricing.Attestation) audit.AttestationChain {
	t.Helper()
	c, err := audit.ChainAttestations(atts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// A view is caught up only to a stored state whose chain is exactly the
// view's extended by the attestations read after its last one: none more
// (count equal), one more, and not to a state with a forged or another
// chain, with no chain, or older than the view.
func TestCatchUpOnlyToTheStoredChain(t *testing.T) {
	a1, a2, a3 := fullAtt(3, 80), fullAtt(7, 81), fullAtt(12, 79)
	atts := make([]pricing.Attestation, 2, 3)
	atts[0], atts[1] = a1, a2
	loan := Loan{ID: "L-00000001", ExternalRef: "x"}
	from := newLoanView(loan, ScheduleState{LoanID: loan.ID, Revision: 4}, atts, chainOver(t, a1, a2), true)
	memo := &ratchetMemo{}
	from.ratchet.Store(memo)
	declassified := LoanLifecycle{Declassification: &Declassification{Ground: "g"}}
	state := func(rev uint64, c audit.AttestationChain) ScheduleState {
		return ScheduleState{LoanID: loan.ID, Revision: rev, AttChain: c}
	}
	s := &Service{}

	// One more, and a new lifecycle: appended in the view's spare room,
	// the loan record kept, the memo carried.
	tx := &sinceTx{changes: LoanChanges{Lifecycle: declassified, State: state(6, chainOver(t, a1, a2, a3)),
		Attestations: []pricing.Attestation{a3}}}
	v, ok, err := s.catchUp(tx, from, true)
	if err != nil || !ok {
		t.Fatalf("one more: %v %v", ok, err)
	}
	if len(tx.after) != 1 || tx.after[0] != 7 {
		t.Fatalf("asked after %v, want after 7 (the view's last)", tx.after)
	}
	if len(v.atts) != 3 || v.atts[2].Seq != 12 || &v.atts[0] != &atts[0] || v.chain != tx.changes.State.AttChain ||
		v.state.Revision != 6 || !v.committed || v.loan.ExternalRef != "x" || v.loan.Lifecycle.Declassification == nil ||
		v.memo() != memo || v.ratchet == from.ratchet || v.spare == from.spare {
		t.Fatalf("caught-up view %+v", v)
	}
	if from.loan.Lifecycle.Declassification != nil || len(from.atts) != 2 {
		t.Fatal("the view caught up from changed")
	}

	// None more (a repricing, a lifecycle change): the same attestations,
	// their spare flag and memo shared.
	tx = &sinceTx{changes: LoanChanges{State: state(5, from.chain)}}
	v, ok, _ = s.catchUp(tx, from, false)
	if !ok || &v.atts[0] != &atts[0] || len(v.atts) != 2 || v.spare != from.spare || v.ratchet != from.ratchet || v.committed {
		t.Fatalf("count equal: %v %+v", ok, v)
	}

	forged := fullAtt(12, 78)
	for name, ch := range map[string]LoanChanges{
		"a forged attestation":        {State: state(6, chainOver(t, a1, a2, a3)), Attestations: []pricing.Attestation{forged}},
		"one fewer than the chain":    {State: state(6, chainOver(t, a1, a2, a3))},
		"one more than the chain":     {State: state(6, from.chain), Attestations: []pricing.Attestation{a3}},
		"another history, as many":    {State: state(6, chainOver(t, a1, fullAtt(7, 70), a3)), Attestations: []pricing.Attestation{a3}},
		"a state older than the view": {State: state(3, chainOver(t, a1))},
		"no chain stored":             {State: state(6, audit.AttestationChain{}), Attestations: []pricing.Attestation{a3}},
		"an attestation not after":    {State: state(6, chainOver(t, a1, a2, a3)), Attestations: []pricing.Attestation{a2, a3}},
	} {
		if v, ok, err := s.catchUp(&sinceTx{changes: ch}, from, true); ok || v != nil || err != nil {
			t.Errorf("%s: caught up (%v, %v)", name, ok, err)
		}
	}
}

// behind picks the newest committed view with a chain, and none when any
// view of the loan is as new as the stored revision or newer (the
// boundary: a view of revision rev is found by its stamp or chain).
func TestBehindPicksAnOlderCommittedView(t *testing.T) {
	view := func(rev uint64, committed bool, chain string) *loanView {
		return newLoanView(Loan{ID: "L-1"}, ScheduleState{LoanID: "L-1", Revision: rev},
			nil, audit.AttestationChain{Count: int(rev), Chain: chain}, committed)
	}
	for _, c := range []struct {
		name  string
		views []*loanView
		rev   uint64
		want  uint64 // revision of the view picked, 0: none
	}{
		{"one before", []*loanView{view(4, true, "c")}, 5, 4},
		{"as new", []*loanView{view(5, true, "c")}, 5, 0},
		{"newer", []*loanView{view(6, true, "c")}, 5, 0},
		{"the newest of two", []*loanView{view(2, true, "b"), view(3, true, "c")}, 5, 3},
		{"pending only", []*loanView{view(4, false, "c")}, 5, 0},
		{"a pending one as new", []*loanView{view(3, true, "c"), view(5, false, "d")}, 5, 0},
		{"no chain", []*loanView{view(4, true, "")}, 5, 0},
		{"none", nil, 5, 0},
	} {
		cache := newLoanCache(4)
		for _, v := range c.views {
			cache.put(v)
		}
		got, ok := cache.behind("L-1", c.rev)
		if (c.want == 0) == ok || ok && got.state.Revision != c.want {
			t.Errorf("%s: %v %v, want revision %d", c.name, got, ok, c.want)
		}
	}
	if _, ok := newLoanCache(1).behind("L-2", 1); ok {
		t.Error("an unknown loan")
	}
}

// memoFixture is a loan's terms, the shipped 2026.1 policy and curve.
func memoFixture(t *testing.T) (Loan, *pricing.Policy, *pricing.Curve) {
	t.Helper()
	b, err := os.ReadFile("../../configs/policy/2026.1.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := pricing.ParsePolicy("2026.1.yaml", b)
	if err != nil {
		t.Fatal(err)
	}
	if b, err = os.ReadFile("../../configs/lpr/lpr.yaml"); err != nil {
		t.Fatal(err)
	}
	fs, err := pricing.ParseFixings("lpr.yaml", b)
	if err != nil {
		t.Fatal(err)
	}
	c, err := pricing.NewCurve(fs)
	if err != nil {
		t.Fatal(err)
	}
	kpi := func(id, base string, targets ...string) pricing.KPI {
		k := pricing.KPI{KPI: catalog.KPI{MetricID: id, Direction: catalog.LowerIsBetter,
			Baseline: catalog.Observation{Year: 2025, Value: decimal.RequireFromString(base)}}}
		for j, v := range targets {
			k.Targets = append(k.Targets, catalog.Observation{Year: 2026 + j, Value: decimal.RequireFromString(v)})
		}
		return k
	}
	l := Loan{ID: "L-00000001", Terms: pricing.Terms{Tier: catalog.Transitioning, CreditRating: "AA", ESGScore: 70,
		KPIs: []pricing.KPI{kpi("pet_fdy_energy", "88", "82", "78"), kpi("carbon_intensity", "1.6", "1.5", "1.4")},
		Facility: pricing.Facility{Amount: decimal.New(10_000_000, 0), Currency: "CNY", StartDate: tfpricing.NewDate(2026, 12, 1),
			TenorMonths: 36, Repayment: pricing.EqualPrincipal, PaymentFrequency: 3}}}
	return l, p, &c
}

// A view caught up holds the memo of fewer attestations; the preparation
// brings it to all of them (kept in the view) so that the preview can use
// it. The status hash goes along while it still covers leading statuses
// (count == kept is the boundary). A memo of all the attestations, of a
// loan with a lifecycle, or one that cannot be extended is left as it is.
func TestCaughtUpMemo(t *testing.T) {
	l, p, c := memoFixture(t)
	asOf := tfpricing.NewDate(2027, 3, 20)
	mk := func(metric string, seq uint64, on int) pricing.Attestation {
		a := fullAtt(seq, 80)
		a.MetricID, a.AcceptedOn = metric, tfpricing.NewDate(2027, 3, on)
		return a
	}
	memoOf := func(atts []pricing.Attestation) *ratchetMemo {
		s, st, err := pricing.ComputeFrom(nil, pricing.Input{Terms: l.Terms, Policy: p, Curve: *c, Attestations: atts, AsOf: asOf})
		if err != nil || st == nil {
			t.Fatalf("%v %v", st, err)
		}
		return &ratchetMemo{state: st, hash: audit.HashStatuses(s.Attestations, nil, 0)}
	}
	view := func(atts []pricing.Attestation, m *ratchetMemo) *loanView {
		v := newLoanView(l, ScheduleState{}, atts, audit.AttestationChain{}, true)
		if m != nil {
			v.ratchet.Store(m)
		}
		return v
	}
	e1, c1, e2 := mk("pet_fdy_energy", 1, 2), mk("carbon_intensity", 2, 5), mk("pet_fdy_energy", 3, 9)
	prefix := memoOf([]pricing.Attestation{e1, c1})

	// Appended after every status: extended, hash carried (count == kept).
	v := view([]pricing.Attestation{e1, c1, e2}, prefix)
	m := v.caughtUpMemo(l, p, asOf)
	if m == prefix || m.state.Walked() != 3 || v.memo() != m || m.hash != prefix.hash || m.state.Kept() != prefix.hash.Count() {
		t.Fatalf("appended: walked %d, kept %d, hash carried %v", m.state.Walked(), m.state.Kept(), m.hash == prefix.hash)
	}
	if again := v.caughtUpMemo(l, p, asOf); again != m {
		t.Fatal("a memo of all the attestations was extended again")
	}
	// Back-dated among the statuses (after its own SPT's last, before
	// the other's): extended, the hash (of statuses now moved) dropped.
	cBack := mk("pet_fdy_energy", 4, 4)
	v = view([]pricing.Attestation{e1, c1, cBack}, memoOf([]pricing.Attestation{e1, c1}))
	if m := v.caughtUpMemo(l, p, asOf); m.state.Walked() != 3 || m.hash != nil || m.state.Kept() >= 2 {
		t.Fatalf("inserted: walked %d, kept %d, hash %v", m.state.Walked(), m.state.Kept(), m.hash)
	}
	// Its own SPT's attestation back-dated: not extended (walked again
	// by the computation), the memo left.
	eBack := mk("pet_fdy_energy", 5, 1)
	old := memoOf([]pricing.Attestation{e1, c1})
	if m := view([]pricing.Attestation{e1, c1, eBack}, old).caughtUpMemo(l, p, asOf); m != old {
		t.Fatal("a same-track back-dated attestation was extended")
	}
	// A loan with a lifecycle, and no memo: as they are.
	withLC := l
	withLC.Lifecycle.Declassification = &Declassification{EffectiveFrom: tfpricing.NewDate(2027, 12, 1)}
	old = memoOf([]pricing.Attestation{e1, c1})
	if m := view([]pricing.Attestation{e1, c1, e2}, old).caughtUpMemo(withLC, p, asOf); m != old {
		t.Fatal("a loan with a lifecycle: memo extended")
	}
	if m := view([]pricing.Attestation{e1}, nil).caughtUpMemo(l, p, asOf); m != nil {
		t.Fatal("no memo: one made")
	}
}
