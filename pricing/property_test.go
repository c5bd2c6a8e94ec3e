package pricing

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/catalog"
)

// randomInput draws valid terms, attestations and an as_of date. Every
// figure is drawn as an integer and scaled exactly, so no float is involved.
func randomInput(r *rand.Rand, p *Policy, c Curve) Input {
	ratings := p.Ratings()
	tiers := []catalog.Tier{catalog.Leading, catalog.Advancing, catalog.Transitioning}
	freqs := []int{1, 3, 6, 12}
	freq := freqs[r.IntN(len(freqs))]
	start := day("2022-09-01").AddDays(r.IntN(365 * 8))
	f := Facility{
		Amount:           decimal.New(1+r.Int64N(5_000_000_000_00), -2),
		Currency:         "CNY",
		StartDate:        start,
		TenorMonths:      freq * (1 + r.IntN(120/freq*2)),
		PaymentFrequency: freq,
		Repayment:        []Repayment{Bullet, EqualPrincipal}[r.IntN(2)],
	}
	if r.IntN(3) == 0 {
		f.Subsidy = &Subsidy{RateBp: decimal.New(r.Int64N(60000), -2), EndDate: start.AddDays(1 + r.IntN(2000))}
	}
	t := Terms{Tier: tiers[r.IntN(3)], CreditRating: ratings[r.IntN(len(ratings))], ESGScore: r.IntN(101),
		CarbonGrade: r.IntN(6), Facility: f}
	var atts []Attestation
	for i := range r.IntN(5) {
		k := KPI{KPI: catalog.KPI{MetricID: fmt.Sprintf("kpi%d", i),
			Direction: []catalog.Direction{catalog.LowerIsBetter, catalog.HigherIsBetter}[r.IntN(2)]}}
		if r.IntN(3) == 0 {
			d := decimal.New(r.Int64N(3000), -2)
			k.StepDownBp = &d
		}
		if r.IntN(3) == 0 {
			u := decimal.New(r.Int64N(3000), -2)
			k.StepUpBp = &u
		}
		for y := start.Year() - 1 + r.IntN(2); y < start.Year()+6; y += 1 + r.IntN(2) {
			k.Targets = append(k.Targets, catalog.Observation{Year: y, Value: decimal.New(50+r.Int64N(50), 0)})
			for range r.IntN(3) {
				atts = append(atts, Attestation{ID: fmt.Sprintf("a%d", len(atts)), Seq: uint64(len(atts) + 1),
					MetricID: k.MetricID, Year: y, Value: decimal.New(4000+r.Int64N(7000), -2),
					AcceptedOn: tfpricing.NewDate(y+1, 1, 1).AddDays(r.IntN(400))})
			}
		}
		t.KPIs = append(t.KPIs, k)
	}
	asOf := start.AddDays(r.IntN(365*6) - 365)
	if first := day("2022-08-22"); asOf.Before(first) {
		asOf = first // the shipped history starts there
	}
	projections := []Projection{Current, AllMet, NoneMet}
	return Input{Terms: t, Policy: p, Curve: c, Attestations: atts, AsOf: asOf,
		Assumptions: Assumptions{Projection: projections[r.IntN(3)]}}
}

func TestScheduleProperties(t *testing.T) {
	p, c := shippedPolicy(t), shippedCurve(t)
	r := rand.New(rand.NewPCG(20261127, 7))
	for i := range 400 {
		in := randomInput(r, p, c)
		s, err := Compute(in)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		sum := decimal.Zero
		for j, l := range s.Lines {
			top := l.BenchmarkRate.Add(p.Limits.CapOverBenchmarkBp.Shift(-2))
			if p.Limits.FloorRate.LessThanOrEqual(top) &&
				(l.Rate.LessThan(p.Limits.FloorRate) || l.Rate.GreaterThan(top)) {
				t.Fatalf("case %d period %d: rate %s outside [%s, %s]", i, l.Period, l.Rate, p.Limits.FloorRate, top)
			}
			if l.RatchetBp.LessThan(dec("-30")) || l.RatchetBp.GreaterThan(dec("15")) || l.AdjustmentBp.LessThan(dec("-60")) {
				t.Fatalf("case %d period %d: K %s, A %s out of bounds", i, l.Period, l.RatchetBp, l.AdjustmentBp)
			}
			if l.Subsidy.GreaterThan(l.Interest) || l.Interest.IsNegative() || !l.NetInterest.Equal(l.Interest.Sub(l.Subsidy)) {
				t.Fatalf("case %d period %d: interest %s subsidy %s net %s", i, l.Period, l.Interest, l.Subsidy, l.NetInterest)
			}
			if !l.ClosingPrincipal.Equal(l.OpeningPrincipal.Sub(l.Principal)) || l.Principal.IsNegative() ||
				(j > 0 && !l.OpeningPrincipal.Equal(s.Lines[j-1].ClosingPrincipal)) {
				t.Fatalf("case %d period %d: principal does not chain", i, l.Period)
			}
			sum = sum.Add(l.Principal)
		}
		if last := s.Lines[len(s.Lines)-1]; !sum.Equal(in.Terms.Facility.Amount) || !last.ClosingPrincipal.IsZero() ||
			last.End != in.Terms.Facility.MaturityDate() {
			t.Fatalf("case %d: principal sums to %s of %s, closes at %s", i, sum, in.Terms.Facility.Amount, last.ClosingPrincipal)
		}
		again, err := Compute(in)
		if err != nil || fmt.Sprintf("%+v", again) != fmt.Sprintf("%+v", s) {
			t.Fatalf("case %d: recomputation differs", i)
		}
		// Attestations carry unique seqs, so their input order is irrelevant.
		shuffled := in
		shuffled.Attestations = append([]Attestation(nil), in.Attestations...)
		r.Shuffle(len(shuffled.Attestations), func(a, b int) {
			shuffled.Attestations[a], shuffled.Attestations[b] = shuffled.Attestations[b], shuffled.Attestations[a]
		})
		if again, _ := Compute(shuffled); fmt.Sprintf("%+v", again) != fmt.Sprintf("%+v", s) {
			t.Fatalf("case %d: attestation order changed the schedule", i)
		}
	}
}

// For a fresh quote, meeting every SPT never costs more than the current
// projection, and missing every one never less: the rate is monotonic in K
// and the principal profile does not depend on the rate.
func TestQuoteProjectionOrder(t *testing.T) {
	p, c := shippedPolicy(t), shippedCurve(t)
	r := rand.New(rand.NewPCG(4, 2))
	for i := range 200 {
		in := randomInput(r, p, c)
		asOf := day("2026-11-27")
		in.Terms.Facility.StartDate = asOf.AddDays(r.IntN(60))
		if s := in.Terms.Facility.Subsidy; s != nil && !s.EndDate.After(in.Terms.Facility.StartDate) {
			s.EndDate = in.Terms.Facility.StartDate.AddDays(1)
		}
		q, err := PriceQuote(in.Terms, p, c, asOf)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if q.AllMet.TotalInterest.GreaterThan(q.Current.TotalInterest) ||
			q.Current.TotalInterest.GreaterThan(q.NoneMet.TotalInterest) || q.Savings.IsNegative() {
			t.Fatalf("case %d: all_met %s, current %s, none_met %s", i, q.AllMet.TotalInterest,
				q.Current.TotalInterest, q.NoneMet.TotalInterest)
		}
		if first := q.Current.Lines[0]; !q.Breakdown.AllInRate.Equal(first.Rate) ||
			!q.Breakdown.RatchetAdjustmentBp.Equal(first.RatchetBp) {
			t.Fatalf("case %d: breakdown %+v", i, q.Breakdown)
		}
	}
}
