package pricing

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/shopspring/decimal"

	"tfpricing"
)

// randomHistory draws n attestations for t's SPTs in arrival order (seq
// 1, 2, …): accepted from 1 January after the year to well past the due
// date of either policy, so on-time, corrections and late ones; arrival
// order is not acceptance order (back-dated ones), and now and then one
// names no SPT of the loan.
func randomHistory(r *rand.Rand, t Terms, n int) []Attestation {
	var out []Attestation
	for i := range n {
		k := t.KPIs[r.IntN(len(t.KPIs))]
		if len(k.Targets) == 0 {
			continue
		}
		y := k.Targets[r.IntN(len(k.Targets))].Year
		a := Attestation{ID: fmt.Sprintf("h%d", i), Seq: uint64(i + 1), MetricID: k.MetricID, Year: y,
			Value: decimal.New(4000+r.Int64N(7000), -2), AcceptedOn: tfpricing.NewDate(y+1, 1, 1).AddDays(r.IntN(300))}
		if r.IntN(60) == 0 {
			a.MetricID = "nobody"
		}
		out = append(out, a)
	}
	return out
}

// same is what a test compares of two computations: everything printed.
func same(s Schedule, err error) string { return fmt.Sprintf("%+v\n%v", s, err) }

// latestOf is the latest acceptance of atts.
func latestOf(atts []Attestation) tfpricing.Date {
	var d tfpricing.Date
	for _, a := range atts {
		if a.AcceptedOn.After(d) {
			d = a.AcceptedOn
		}
	}
	return d
}

type computed struct {
	in Input
	st *RatchetState
}

// ComputeFrom must return Compute's schedule and error whatever state it is
// given: along random histories, each step extending the state of an
// earlier step (usually the one before, sometimes an older one, so that a
// state is extended twice and the second copies), over the same array or
// a copy of it, as of a date after the history or before its latest
// acceptance, under both late_attestation policies and random
// projections. Every state is checked again at the end, against later
// inputs too, so an extension that wrote into what an older state reads
// is found.
func TestComputeFromEqualsCompute(t *testing.T) {
	ignore, cure, c := shippedPolicy(t), policyFile(t, "2027.1"), shippedCurve(t)
	r := rand.New(rand.NewPCG(18, 2026))
	var extended, inserted, fresh, forked int
	for i := range 120 {
		p := ignore
		if i%2 == 1 {
			p = cure
		}
		base := randomInput(r, p, c)
		if len(base.Terms.KPIs) == 0 {
			continue
		}
		hist := randomHistory(r, base.Terms, 1+r.IntN(60))
		var steps []computed
		check := func(in Input, prev *RatchetState) {
			want, werr := Compute(in)
			got, st, err := ComputeFrom(prev, in)
			if same(got, err) != same(want, werr) {
				t.Fatalf("case %d, %d attestations as of %s: ComputeFrom\n%s\nCompute\n%s", i, len(in.Attestations), in.AsOf, same(got, err), same(want, werr))
			}
			if err != nil {
				return
			}
			switch {
			case st.Kept() == 0:
				fresh++
			case st.Kept() < len(prev.statuses):
				inserted++
				fallthrough
			default:
				extended++
				if !reflect.DeepEqual(st.statuses[:st.Kept()], prev.statuses[:st.Kept()]) {
					t.Fatalf("case %d: Kept %d, but the leading statuses differ", i, st.Kept())
				}
			}
			steps = append(steps, computed{in, st})
		}
		asOf := func(atts []Attestation) tfpricing.Date {
			if d := latestOf(atts).AddDays(r.IntN(400) - 40); d.After(day("2022-08-22")) {
				return d
			}
			return day("2022-08-22") // the shipped history starts there
		}
		var last *RatchetState
		for n := 0; n <= len(hist); n += 1 + r.IntN(3) {
			if len(steps) > 0 && r.IntN(3) == 0 {
				// A fork: an earlier state extended by other attestations
				// than the history's next (as a preparation that is
				// redone is), over a copy of its history.
				k := steps[r.IntN(len(steps))]
				in := k.in
				in.Attestations = append([]Attestation(nil), k.in.Attestations...)
				for j, a := range randomHistory(r, base.Terms, 1+r.IntN(3)) {
					a.ID, a.Seq = fmt.Sprintf("f%d", j), uint64(len(in.Attestations)+1)
					in.Attestations = append(in.Attestations, a)
				}
				in.AsOf = asOf(in.Attestations)
				forked++
				check(in, k.st)
			}
			in := base
			in.Attestations = hist[:n]
			if r.IntN(5) == 0 {
				in.Attestations = append([]Attestation(nil), hist[:n]...)
			}
			in.AsOf = asOf(in.Attestations)
			before := len(steps)
			check(in, last)
			if len(steps) > before {
				last = steps[len(steps)-1].st
			}
		}
		for j, s := range steps {
			for _, later := range []computed{s, steps[j+r.IntN(len(steps)-j)]} {
				want, werr := Compute(later.in)
				got, _, err := ComputeFrom(s.st, later.in)
				if same(got, err) != same(want, werr) {
					t.Fatalf("case %d: the state of step %d no longer gives Compute's schedule", i, j)
				}
			}
		}
	}
	// The cases must exercise the extension, its insertion among later
	// statuses, the walk from scratch and a second extension of a state.
	if extended < 150 || inserted < 40 || fresh < 100 || forked < 100 {
		t.Errorf("extended %d, inserted %d, from scratch %d, forked %d", extended, inserted, fresh, forked)
	}
	t.Logf("extended %d, inserted %d, from scratch %d, forked %d", extended, inserted, fresh, forked)
}

// PreviewAttestationFrom must answer exactly as PreviewAttestation for
// random candidates — accepted, refused for their date, for an unknown
// SPT, for being before their year's latest — against random histories
// under both policies.
func TestPreviewAttestationFromEqualsPreview(t *testing.T) {
	ignore, cure, c := shippedPolicy(t), policyFile(t, "2027.1"), shippedCurve(t)
	r := rand.New(rand.NewPCG(18, 5))
	var fromState int
	for i := range 400 {
		p := ignore
		if i%2 == 1 {
			p = cure
		}
		in := randomInput(r, p, c)
		if len(in.Terms.KPIs) == 0 {
			continue
		}
		in.Attestations = randomHistory(r, in.Terms, r.IntN(40))
		in.AsOf = latestOf(in.Attestations).AddDays(r.IntN(30))
		if in.AsOf.Before(day("2022-08-22")) {
			in.AsOf = day("2022-08-22")
		}
		_, st, err := ComputeFrom(nil, in)
		if err != nil {
			continue
		}
		for range 5 {
			cand := randomHistory(r, in.Terms, 1)
			if len(cand) == 0 {
				continue
			}
			a := cand[0]
			a.ID, a.Seq = "cand", uint64(r.IntN(len(in.Attestations)+3))
			a.AcceptedOn = a.AcceptedOn.AddDays(r.IntN(200) - 20)
			ws, wp, werr := PreviewAttestation(in.Terms, p, in.Attestations, a)
			gs, gp, gerr := PreviewAttestationFrom(st, in.Terms, p, in.Attestations, a)
			if fmt.Sprintf("%+v %+v %v", gs, gp, gerr) != fmt.Sprintf("%+v %+v %v", ws, wp, werr) {
				t.Fatalf("case %d: from the state %+v %+v %v, PreviewAttestation %+v %+v %v", i, gs, gp, gerr, ws, wp, werr)
			}
			if werr == nil {
				fromState++
			}
		}
	}
	if fromState < 300 {
		t.Errorf("only %d accepted candidates", fromState)
	}
}

// An attestation accepted on as_of is taken by an extension and one
// accepted the day after is left out, as Compute does; a state whose latest
// acceptance is as_of itself still applies, one a day later does not.
func TestComputeFromAsOfBoundary(t *testing.T) {
	pet := lowerKPI("pet", "2023:80", "2024:74")
	first := ratchetInput(t, "2024-03-01", []KPI{pet}, att("a1", 1, "pet", 2023, "79", "2024-03-01"))
	_, st, err := ComputeFrom(nil, first)
	if err != nil || st.Kept() != 0 {
		t.Fatal(err)
	}
	for _, c := range []struct {
		accepted, asOf string
		taken          int // statuses
	}{
		{"2024-03-05", "2024-03-05", 2}, // accepted on as_of: taken
		{"2024-03-06", "2024-03-05", 1}, // the day after: left out
		{"2024-03-05", "2024-03-01", 1}, // after as_of, which is the state's latest: left out
	} {
		in := first
		in.AsOf = day(c.asOf)
		in.Attestations = append(append([]Attestation(nil), first.Attestations...), att("a2", 2, "pet", 2023, "85", c.accepted))
		want, werr := Compute(in)
		got, next, err := ComputeFrom(st, in)
		if same(got, err) != same(want, werr) || len(got.Attestations) != c.taken {
			t.Fatalf("%+v: %d statuses, want %d\n%s\n%s", c, len(got.Attestations), c.taken, same(got, err), same(want, werr))
		}
		if next.Kept() != 1 { // extended, not walked again
			t.Errorf("%+v: Kept %d", c, next.Kept())
		}
	}
	// as_of a day before the state's latest acceptance: walked again.
	in := first
	in.AsOf = day("2024-02-29")
	want, werr := Compute(in)
	got, next, err := ComputeFrom(st, in)
	if same(got, err) != same(want, werr) || next.Kept() != 0 {
		t.Errorf("as_of before the latest: Kept %d\n%s\n%s", next.Kept(), same(got, err), same(want, werr))
	}
}

// PreviewAttestationFrom on the edges of PreviewAttestation's refusals: a
// candidate accepted on 31 December of its year is refused, on 1 January
// after it accepted; one accepted the day before its year's latest
// recorded attestation is refused, on the same day accepted (a
// correction).
func TestPreviewAttestationFromBoundaries(t *testing.T) {
	pet, own := lowerKPI("pet", "2023:80", "2024:74"), lowerKPI("own", "2023:80")
	in := ratchetInput(t, "2024-03-10", []KPI{pet, own}, att("a1", 1, "pet", 2024, "79", "2025-01-01"),
		att("a2", 2, "pet", 2023, "79", "2024-03-10"))
	in.AsOf = day("2025-01-01")
	_, st, err := ComputeFrom(nil, in)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		metric   string
		year     int
		accepted string
		refused  bool
	}{
		{"own", 2023, "2023-12-31", true}, {"own", 2023, "2024-01-01", false}, // no attestation yet
		{"pet", 2024, "2024-12-31", true}, {"pet", 2024, "2025-01-01", false},
		{"pet", 2023, "2024-03-09", true}, {"pet", 2023, "2024-03-10", false},
	} {
		cand := att("c", 3, c.metric, c.year, "70", c.accepted)
		ws, wp, werr := PreviewAttestation(in.Terms, in.Policy, in.Attestations, cand)
		gs, gp, gerr := PreviewAttestationFrom(st, in.Terms, in.Policy, in.Attestations, cand)
		if got, want := fmt.Sprintf("%+v %+v %v", gs, gp, gerr), fmt.Sprintf("%+v %+v %v", ws, wp, werr); got != want || (werr != nil) != c.refused {
			t.Errorf("%+v: from the state %s, PreviewAttestation %s", c, got, want)
		}
	}
}

// A state extended by ExtendTo over several new attestations at once is
// the one ComputeFrom gives: a preview from it answers as
// PreviewAttestation over the whole history, and ComputeFrom from it as
// Compute; Walked counts what it walked.
func TestExtendToEqualsFromScratch(t *testing.T) {
	ignore, cure, c := shippedPolicy(t), policyFile(t, "2027.1"), shippedCurve(t)
	r := rand.New(rand.NewPCG(14, 6))
	var extended, refused int
	for i := range 600 {
		p := ignore
		if i%2 == 1 {
			p = cure
		}
		in := randomInput(r, p, c)
		if len(in.Terms.KPIs) == 0 {
			continue
		}
		hist := randomHistory(r, in.Terms, 2+r.IntN(40))
		in.AsOf = latestOf(hist).AddDays(r.IntN(30))
		if in.AsOf.Before(day("2022-08-22")) {
			in.AsOf = day("2022-08-22")
		}
		pre := in
		pre.Attestations = hist[:r.IntN(len(hist))]
		_, st, err := ComputeFrom(nil, pre)
		if err != nil {
			continue
		}
		if st.Walked() != len(pre.Attestations) {
			t.Fatalf("case %d: walked %d, want %d", i, st.Walked(), len(pre.Attestations))
		}
		ext, ok := st.ExtendTo(in.Terms, p.Ratchet, hist, in.AsOf)
		if !ok {
			refused++
			continue
		}
		extended++
		if ext.Walked() != len(hist) {
			t.Fatalf("case %d: walked %d after extending, want %d", i, ext.Walked(), len(hist))
		}
		in.Attestations = hist
		want, werr := Compute(in)
		if got, _, err := ComputeFrom(ext, in); same(got, err) != same(want, werr) {
			t.Fatalf("case %d: ComputeFrom from the extended state\n%s\nCompute\n%s", i, same(got, err), same(want, werr))
		}
		for range 3 {
			cand := randomHistory(r, in.Terms, 1)
			if len(cand) == 0 {
				continue
			}
			a := cand[0]
			a.ID, a.Seq = "cand", uint64(len(hist)+1)
			ws, wp, werr := PreviewAttestation(in.Terms, p, hist, a)
			gs, gp, gerr := PreviewAttestationFrom(ext, in.Terms, p, hist, a)
			if fmt.Sprintf("%+v %+v %v", gs, gp, gerr) != fmt.Sprintf("%+v %+v %v", ws, wp, werr) {
				t.Fatalf("case %d: from the extended state %+v %+v %v, PreviewAttestation %+v %+v %v", i, gs, gp, gerr, ws, wp, werr)
			}
		}
	}
	if extended < 80 || refused < 20 {
		t.Errorf("extended %d, refused (walk again) %d", extended, refused)
	}
	t.Logf("extended %d, refused %d", extended, refused)
	if (*RatchetState)(nil).Walked() != 0 {
		t.Error("nil walked something")
	}
	if _, ok := (*RatchetState)(nil).ExtendTo(Terms{}, Ratchet{}, nil, day("2027-01-01")); ok {
		t.Error("nil extended")
	}
}
