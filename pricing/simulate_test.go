package pricing

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/catalog"
)

// simTerms is quoteTerms (CNY 50m from 2026-12-01, 36 months quarterly,
// equal principal, subsidy 100 bp to 2027-12-01; pet_fdy_energy, lower is
// better, SPTs 2026: 82, 2027: 76, 2028: 70) with the plan's baseline
// 2025: 88, which Monte Carlo grows from.
func simTerms() Terms {
	t := quoteTerms()
	t.KPIs[0].Baseline = catalog.Observation{Year: 2025, Value: dec("88")}
	return t
}

// mcTerms adds a second KPI, carbon_intensity (lower is better, baseline
// 2026: 1.15, SPTs 2027: 1.10, 2028: 1.00, 2029: 0.90), on the 5-year
// quarterly loan of the benchmarks.
func mcTerms() Terms {
	t := benchTerms()
	t.KPIs[0].Baseline = catalog.Observation{Year: 2025, Value: dec("88")}
	t.KPIs[1].Baseline = catalog.Observation{Year: 2026, Value: dec("1.15")}
	return t
}

func simulation(t testing.TB, terms Terms, scenarios ...Scenario) Simulation {
	return Simulation{Terms: terms, Policy: shippedPolicy(t), Curve: shippedCurve(t), AsOf: day("2026-11-27"),
		Scenarios: scenarios}
}

func simulate(t testing.TB, in Simulation) SimulationResult {
	t.Helper()
	r, err := Simulate(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

const pet = "pet_fdy_energy"

func everyYear(o Outcome) map[string]map[int]Outcome {
	return map[string]map[int]Outcome{pet: {2026: o, 2027: o, 2028: o}}
}

func sameSchedule(t *testing.T, name string, got, want Schedule) {
	t.Helper()
	if len(got.Lines) != len(want.Lines) {
		t.Fatalf("%s: %d lines, want %d", name, len(got.Lines), len(want.Lines))
	}
	for i := range got.Lines {
		if g, w := lineString(got.Lines[i]), lineString(want.Lines[i]); g != w {
			t.Errorf("%s line %d\n got %s\nwant %s", name, i+1, g, w)
		}
	}
	if !got.TotalInterest.Equal(want.TotalInterest) || !got.TotalSubsidy.Equal(want.TotalSubsidy) ||
		!got.NetInterest.Equal(want.NetInterest) {
		t.Errorf("%s totals %s %s %s, want %s %s %s", name, got.TotalInterest, got.TotalSubsidy, got.NetInterest,
			want.TotalInterest, want.TotalSubsidy, want.NetInterest)
	}
}

func outcomesOf(s Schedule) string {
	var out []string
	for _, st := range s.SPTs {
		out = append(out, fmt.Sprintf("%d:%s", st.Year, st.Outcome))
	}
	return strings.Join(out, " ")
}

// Explicit outcomes for every year reproduce the quote's all_met and
// none_met projections, an empty scenario its current one, and the
// projection field the projections themselves.
func TestSimulateMatchesQuoteProjections(t *testing.T) {
	in := simulation(t, simTerms(),
		Scenario{Name: "all met", Assumptions: Assumptions{Outcomes: everyYear(Met)}},
		Scenario{Name: "none met", Assumptions: Assumptions{Outcomes: everyYear(Missed)}},
		Scenario{Name: "current"},
		Scenario{Name: "projection all_met", Assumptions: Assumptions{Projection: AllMet}},
		Scenario{Name: "projection none_met", Assumptions: Assumptions{Projection: NoneMet}},
		// 2026 met, the rest by the projection: partly met.
		Scenario{Name: "2026 met, then none", Assumptions: Assumptions{Projection: NoneMet,
			Outcomes: map[string]map[int]Outcome{pet: {2026: Met}}}},
	)
	q, err := PriceQuote(in.Terms, in.Policy, in.Curve, in.AsOf)
	if err != nil {
		t.Fatal(err)
	}
	r := simulate(t, in)
	want := []Schedule{q.AllMet, q.NoneMet, q.Current, q.AllMet, q.NoneMet}
	for i, w := range want {
		got := r.Scenarios[i]
		if got.Kind != KindDeterministic || got.Name != in.Scenarios[i].Name {
			t.Errorf("scenario %d: %s %s", i, got.Kind, got.Name)
		}
		sameSchedule(t, got.Name, got.Schedule, w)
	}
	if b := r.Baseline; b.Name != "all met" || b.Source != "scenario" || !b.NetInterest.Equal(q.AllMet.NetInterest) {
		t.Errorf("baseline %+v", r.Baseline)
	}
	// Net interest less the first scenario's: 0 for itself, and for none
	// met what the quote calls savings (the subsidy is the same in both).
	if d := r.Scenarios[0].DifferenceVsBaseline; !d.IsZero() {
		t.Errorf("baseline's own difference %s", d)
	}
	if d := r.Scenarios[1].DifferenceVsBaseline; !d.Equal(q.Savings) || !d.IsPositive() {
		t.Errorf("none met difference %s, quote savings %s", d, q.Savings)
	}
	for i, want := range []string{"2026:met 2027:met 2028:met", "2026:missed 2027:missed 2028:missed",
		"2026:pending 2027:pending 2028:pending", "2026:met 2027:met 2028:met",
		"2026:missed 2027:missed 2028:missed", "2026:met 2027:missed 2028:missed"} {
		if got := outcomesOf(r.Scenarios[i].Schedule); got != want {
			t.Errorf("%s outcomes %s, want %s", r.Scenarios[i].Name, got, want)
		}
	}
	// Partly met lies between all met and none met.
	partly := r.Scenarios[5].Schedule.TotalInterest
	if !partly.GreaterThan(q.AllMet.TotalInterest) || !partly.LessThan(q.NoneMet.TotalInterest) {
		t.Errorf("partly met %s not between %s and %s", partly, q.AllMet.TotalInterest, q.NoneMet.TotalInterest)
	}
}

// TestSimulateLPRPathByHand checks scenarios with an assumed LPR cut against
// schedules worked by hand.
//
// Loan: CNY 10,000,000.00 from 2026-12-01, 24 months, semiannual, bullet, no
// subsidy; AA (S = 50), transitioning (T = −10), ESG 70 (E = −10), carbon
// grade 3 (C = 0), so A = −20 and rate = B + 0.30 before any ratchet. As of
// 2026-11-27 the LPR1Y in force is 3.00 (2025-05-20). Assumed cut: 2.80 /
// 3.30 effective 2027-06-20. A one-year loan would not see it at all: the
// benchmark only resets on the start date and each anniversary, and the
// cut comes after the start and before any anniversary; hence two years.
//
//	#  start       end         days  B     A    rate    interest = 10,000,000 × rate × days / 36000
//	1  2026-12-01  2027-06-01  182   3.00  −20  3.3000  6,006,000,000 / 36000 = 166,833.333… → 166,833.33
//	2  2027-06-01  2027-12-01  183   3.00  −20  3.3000  6,039,000,000 / 36000 = 167,750.00
//	3  2027-12-01  2028-06-01  183   2.80  −20  3.1000  5,673,000,000 / 36000 = 157,583.333… → 157,583.33
//	4  2028-06-01  2028-12-01  183   2.80  −20  3.1000  157,583.33
//
// (182 = 31+31+28+31+30+31; 183 = 30+31+31+30+31+30 and 31+31+29+31+30+31,
// 2028 being a leap year.) Total 649,749.99. Period 3 reprices on the
// 2027-12-01 anniversary, on which the assumed 2027-06-20 fixing is the
// latest. Without the cut periods 3 and 4 stay at 3.30: 167,750.00 each,
// total 670,083.33, so the cut saves 20,333.34.
//
// With the 2026 SPT also met and reported 60 days after year end (accepted
// 2027-03-01 = 2026-12-31 + 60 days), K = −10 from period 2, the first to
// start on or after that date: A = −30.
//
//	2  3.00  −30  3.2000  5,856,000,000 / 36000 = 162,666.666… → 162,666.67
//	3  2.80  −30  3.0000  5,490,000,000 / 36000 = 152,500.00
//	4  2.80  −30  3.0000  152,500.00
//
// Total 166,833.33 + 162,666.67 + 152,500.00 + 152,500.00 = 634,500.00.
func TestSimulateLPRPathByHand(t *testing.T) {
	terms := simTerms()
	terms.Facility = Facility{Amount: dec("10000000.00"), Currency: "CNY", StartDate: day("2026-12-01"),
		TenorMonths: 24, Repayment: Bullet, PaymentFrequency: 6}
	cut := []Fixing{{EffectiveDate: day("2027-06-20"), OneYear: dec("2.80"), FiveYear: dec("3.30")}}
	in := simulation(t, terms,
		Scenario{Name: "no cut"},
		Scenario{Name: "cut", AssumedFixings: cut},
		Scenario{Name: "cut, 2026 met early", AssumedFixings: cut, Assumptions: Assumptions{ReportLagDays: 60,
			Outcomes: map[string]map[int]Outcome{pet: {2026: Met}}}},
	)
	r := simulate(t, in)
	want := map[string][]string{
		"cut": {
			"1 2026-12-01 2027-06-01 182 3.0000 2025-05-20 -20 0 3.3000 10000000.00 0.00 166833.33 0.00 166833.33 10000000.00 --",
			"2 2027-06-01 2027-12-01 183 3.0000 2025-05-20 -20 0 3.3000 10000000.00 0.00 167750.00 0.00 167750.00 10000000.00 --",
			"3 2027-12-01 2028-06-01 183 2.8000 2027-06-20 -20 0 3.1000 10000000.00 0.00 157583.33 0.00 157583.33 10000000.00 --",
			"4 2028-06-01 2028-12-01 183 2.8000 2027-06-20 -20 0 3.1000 10000000.00 10000000.00 157583.33 0.00 157583.33 0.00 --",
		},
		"cut, 2026 met early": {
			"1 2026-12-01 2027-06-01 182 3.0000 2025-05-20 -20 0 3.3000 10000000.00 0.00 166833.33 0.00 166833.33 10000000.00 --",
			"2 2027-06-01 2027-12-01 183 3.0000 2025-05-20 -30 -10 3.2000 10000000.00 0.00 162666.67 0.00 162666.67 10000000.00 --",
			"3 2027-12-01 2028-06-01 183 2.8000 2027-06-20 -30 -10 3.0000 10000000.00 0.00 152500.00 0.00 152500.00 10000000.00 --",
			"4 2028-06-01 2028-12-01 183 2.8000 2027-06-20 -30 -10 3.0000 10000000.00 10000000.00 152500.00 0.00 152500.00 0.00 --",
		},
	}
	totals := map[string][2]string{ // total interest, difference vs "no cut"
		"no cut":              {"670083.33", "0.00"},
		"cut":                 {"649749.99", "-20333.34"},
		"cut, 2026 met early": {"634500.00", "-35583.33"},
	}
	if r.Baseline.Name != "no cut" || r.Baseline.Source != "scenario" {
		t.Errorf("baseline %+v", r.Baseline)
	}
	for _, s := range r.Scenarios {
		for i, w := range want[s.Name] {
			if got := lineString(s.Schedule.Lines[i]); got != w {
				t.Errorf("%s line %d\n got %s\nwant %s", s.Name, i+1, got, w)
			}
		}
		got := [2]string{FormatAmount(s.Schedule.TotalInterest), FormatAmount(s.DifferenceVsBaseline)}
		if got != totals[s.Name] {
			t.Errorf("%s totals %v, want %v", s.Name, got, totals[s.Name])
		}
	}
	if got := outcomesOf(r.Scenarios[2].Schedule); got != "2026:met 2027:pending 2028:pending" {
		t.Errorf("outcomes %s", got)
	}
	if d := r.Scenarios[2].Schedule.SPTs[0].DeterminedOn; d != day("2027-03-01") {
		t.Errorf("2026 assumed on %s, want 2027-03-01", d)
	}

	// The one-year loan does not see the mid-way cut.
	terms.Facility.TenorMonths, terms.Facility.PaymentFrequency = 12, 3
	one := simulate(t, simulation(t, terms, Scenario{Name: "no cut"}, Scenario{Name: "cut", AssumedFixings: cut}))
	sameSchedule(t, "one-year cut", one.Scenarios[1].Schedule, one.Scenarios[0].Schedule)
}

// Without a deterministic scenario the baseline is the quote's none_met.
func TestSimulateBaselineNoneMet(t *testing.T) {
	in := simulation(t, simTerms(), Scenario{Name: "mc", MonteCarlo: &MonteCarlo{Runs: 10, Seed: 1,
		KPIs: map[string]Growth{pet: {MeanPct: dec("-5"), SDPct: dec("3")}}}})
	q, err := PriceQuote(in.Terms, in.Policy, in.Curve, in.AsOf)
	if err != nil {
		t.Fatal(err)
	}
	r := simulate(t, in)
	if b := r.Baseline; b.Name != BaselineNoneMet || b.Source != BaselineNoneMet || !b.NetInterest.Equal(q.NoneMet.NetInterest) {
		t.Errorf("baseline %+v, none_met net %s", r.Baseline, q.NoneMet.NetInterest)
	}
}

func mcString(r *MonteCarloResult) string {
	var b strings.Builder
	fmt.Fprintf(&b, "runs %d seed %d distinct %d\n", r.Runs, r.Seed, r.distinct)
	for _, s := range []Stats{r.TotalInterest, r.LastRate} {
		fmt.Fprintf(&b, "%s %s %s %s\n", s.Mean, s.P5, s.P50, s.P95)
	}
	for _, p := range r.SPTMet {
		fmt.Fprintf(&b, "%s %d %s\n", p.MetricID, p.Year, p.Probability.StringFixed(4))
	}
	fmt.Fprintf(&b, "all %s", r.AllMetShare.StringFixed(4))
	return b.String()
}

// With zero volatility every run draws the mean, so a Monte Carlo scenario
// is the deterministic scenario of the KPI values baseline × (1 + mean)^k —
// with the other assumptions of the scenario (an LPR path, a report lag, a
// non-simulated KPI's outcomes and the projection) applying alike.
func TestMonteCarloZeroVolatility(t *testing.T) {
	cut := []Fixing{{EffectiveDate: day("2027-06-20"), OneYear: dec("2.80"), FiveYear: dec("3.30")}}
	// pet: 88 × 0.93 = 81.84 (meets 82), × 0.93 = 76.1112 (misses 76),
	// × 0.93 = 70.783416 (misses 70).
	values := map[string]map[int]decimal.Decimal{pet: {2026: dec("81.84"), 2027: dec("76.1112"), 2028: dec("70.783416")}}
	carbon := map[string]map[int]Outcome{"carbon_intensity": {2027: Met}}
	common := Assumptions{Projection: NoneMet, ReportLagDays: 90}
	det, mc := common, common
	det.Values, det.Outcomes, mc.Outcomes = values, carbon, carbon
	in := simulation(t, mcTerms(),
		Scenario{Name: "values", Assumptions: det, AssumedFixings: cut},
		Scenario{Name: "mc", Assumptions: mc, AssumedFixings: cut, MonteCarlo: &MonteCarlo{Runs: 500, Seed: 9,
			KPIs: map[string]Growth{pet: {MeanPct: dec("-7"), SDPct: dec("0")}}}},
	)
	r := simulate(t, in)
	s, m := r.Scenarios[0].Schedule, r.Scenarios[1].MonteCarlo
	if got := outcomesOf(s); got != "2026:met 2027:missed 2028:missed 2027:met 2028:missed 2029:missed" {
		t.Fatalf("deterministic outcomes %s", got)
	}
	ti, rate := s.TotalInterest, s.Lines[len(s.Lines)-1].Rate
	if m.distinct != 1 {
		t.Errorf("%d distinct outcome vectors, want 1", m.distinct)
	}
	for _, st := range []struct {
		name string
		got  Stats
		want decimal.Decimal
	}{{"total interest", m.TotalInterest, ti}, {"last rate", m.LastRate, rate}} {
		if !st.got.Mean.Equal(st.want) || !st.got.P5.Equal(st.want) || !st.got.P50.Equal(st.want) || !st.got.P95.Equal(st.want) {
			t.Errorf("%s %+v, want %s", st.name, st.got, st.want)
		}
	}
	var probs []string
	for _, p := range m.SPTMet {
		probs = append(probs, p.Probability.StringFixed(4))
	}
	if got := strings.Join(probs, " "); got != "1.0000 0.0000 0.0000 1.0000 0.0000 0.0000" {
		t.Errorf("probabilities %s", got)
	}
	if !m.AllMetShare.IsZero() {
		t.Errorf("all met share %s", m.AllMetShare)
	}
}

// The same seed gives the same result, another seed another one.
func TestMonteCarloSeed(t *testing.T) {
	run := func(seed uint64) string {
		r := simulate(t, simulation(t, mcTerms(), Scenario{Name: "mc", MonteCarlo: &MonteCarlo{Runs: 2000, Seed: seed,
			KPIs: map[string]Growth{pet: {MeanPct: dec("-5"), SDPct: dec("3")},
				"carbon_intensity": {MeanPct: dec("-4"), SDPct: dec("2.5")}}}}))
		return mcString(r.Scenarios[0].MonteCarlo)
	}
	a, b, c := run(7), run(7), run(8)
	if a != b {
		t.Errorf("same seed differs:\n%s\n---\n%s", a, b)
	}
	if a == c {
		t.Errorf("seeds 7 and 8 agree:\n%s", a)
	}
	t.Logf("seed 7:\n%s", a)
}

// A KPI improving faster meets its SPTs more often, and the loan then costs
// less; for a higher-is-better KPI "faster" is a larger mean.
func TestMonteCarloMeanMovesProbabilities(t *testing.T) {
	terms := simTerms()
	reuse := kpiOf("water_reuse", catalog.HigherIsBetter, "2026:42", "2027:45")
	reuse.Baseline = catalog.Observation{Year: 2025, Value: dec("40")}
	terms.KPIs = append(terms.KPIs, reuse)
	run := func(petMean, reuseMean string) *MonteCarloResult {
		r := simulate(t, simulation(t, terms, Scenario{Name: "mc", MonteCarlo: &MonteCarlo{Runs: 4000, Seed: 3,
			KPIs: map[string]Growth{pet: {MeanPct: dec(petMean), SDPct: dec("3")},
				"water_reuse": {MeanPct: dec(reuseMean), SDPct: dec("3")}}}}))
		return r.Scenarios[0].MonteCarlo
	}
	slow, fast := run("-3", "2"), run("-8", "6")
	for i := range slow.SPTMet {
		s, f := slow.SPTMet[i], fast.SPTMet[i]
		if !f.Probability.GreaterThan(s.Probability) {
			t.Errorf("%s %d: P(met) %s with the faster mean, %s with the slower", s.MetricID, s.Year, f.Probability, s.Probability)
		}
	}
	if !fast.AllMetShare.GreaterThan(slow.AllMetShare) {
		t.Errorf("all met share %s fast, %s slow", fast.AllMetShare, slow.AllMetShare)
	}
	if !fast.TotalInterest.Mean.LessThan(slow.TotalInterest.Mean) || !fast.LastRate.Mean.LessThan(slow.LastRate.Mean) {
		t.Errorf("mean interest %s fast, %s slow; last rate %s / %s", fast.TotalInterest.Mean, slow.TotalInterest.Mean,
			fast.LastRate.Mean, slow.LastRate.Mean)
	}
	// 5 SPTs: at most 2^5 distinct outcome vectors, each computed once.
	if slow.distinct < 2 || slow.distinct > 32 || fast.distinct > 32 {
		t.Errorf("distinct vectors %d / %d", slow.distinct, fast.distinct)
	}
	// Percentiles are ordered. (The mean need not lie between p5 and p95:
	// with over 95 % of runs at the top rate, p5 is the top rate too.)
	for _, s := range []Stats{slow.TotalInterest, slow.LastRate, fast.TotalInterest, fast.LastRate} {
		if s.P5.GreaterThan(s.P50) || s.P50.GreaterThan(s.P95) {
			t.Errorf("stats out of order %+v", s)
		}
	}
}

// A growth of -100 % with no volatility takes the value to 0 and keeps it
// there (the factor is floored at 0): a lower-is-better SPT is then met.
func TestMonteCarloFactorFloor(t *testing.T) {
	r := simulate(t, simulation(t, simTerms(), Scenario{Name: "mc", MonteCarlo: &MonteCarlo{Runs: 50, Seed: 1,
		KPIs: map[string]Growth{pet: {MeanPct: dec("-100"), SDPct: dec("100")}}}}))
	if m := r.Scenarios[0].MonteCarlo; m.SPTMet[2].Probability.LessThan(m.SPTMet[0].Probability) {
		t.Errorf("once at 0 a value stays there: %s", mcString(m))
	}
}

func TestNearestRankStats(t *testing.T) {
	for _, c := range []struct{ p, n, want int }{{5, 10000, 500}, {50, 10000, 5000}, {95, 10000, 9500},
		{5, 1, 1}, {95, 1, 1}, {5, 19, 1}, {5, 21, 2}, {50, 3, 2}, {95, 19, 19}} {
		if got := nearestRank(c.p, c.n); got != c.want {
			t.Errorf("nearestRank(%d, %d) = %d, want %d", c.p, c.n, got, c.want)
		}
	}
	// Ten runs: 300 ×1, 100 ×3, 200 ×6 → sorted 100 100 100 200 200 200
	// 200 200 200 300. Ranks 1, 5 and 10; mean 1800/10 = 180.00.
	entries := []mcEntry{{total: dec("300"), count: 1}, {total: dec("100"), count: 3}, {total: dec("200"), count: 6}}
	s := stats(entries, 10, 2, func(e *mcEntry) decimal.Decimal { return e.total })
	if got := fmt.Sprintf("%s %s %s %s", s.Mean.StringFixed(2), s.P5, s.P50, s.P95); got != "180.00 100 200 300" {
		t.Errorf("stats %s", got)
	}
	// Means round half-up: (1 × 7 + 2 × 1) / 8 = 1.125 → 1.13.
	s = stats([]mcEntry{{total: dec("1"), count: 7}, {total: dec("2"), count: 1}}, 8, 2,
		func(e *mcEntry) decimal.Decimal { return e.total })
	if s.Mean.String() != "1.13" {
		t.Errorf("mean %s, want 1.13", s.Mean)
	}
}

func TestSimulateValidation(t *testing.T) {
	growth := map[string]Growth{pet: {MeanPct: dec("-5"), SDPct: dec("3")}}
	in := simulation(t, simTerms(),
		Scenario{Name: "", Assumptions: Assumptions{Outcomes: map[string]map[int]Outcome{pet: {2030: Met}}},
			AssumedFixings: []Fixing{{EffectiveDate: day("2026-01-01"), OneYear: dec("2.8"), FiveYear: dec("3.3")},
				{OneYear: dec("0"), FiveYear: dec("3.3")}}},
		Scenario{Name: "a", MonteCarlo: &MonteCarlo{}},
		Scenario{Name: "a", Assumptions: Assumptions{Outcomes: map[string]map[int]Outcome{pet: {2026: Met}}},
			MonteCarlo: &MonteCarlo{Runs: 60000, KPIs: map[string]Growth{"nope": {},
				pet: {MeanPct: dec("-101"), SDPct: dec("-1")}}}},
		Scenario{Name: "b", MonteCarlo: &MonteCarlo{Runs: 50000, KPIs: growth}},
		Scenario{Name: "c", MonteCarlo: &MonteCarlo{Runs: 50000, KPIs: growth}},
	)
	_, err := Simulate(context.Background(), in)
	e := appErr(t, err, tfpricing.EINVALID)
	want := "scenarios[0].name scenarios[0].outcomes.pet_fdy_energy.2030 " +
		"scenarios[0].lpr_path[1].effective_date scenarios[0].lpr_path[1].one_year scenarios[0].lpr_path[0].effective_date " +
		"scenarios[1].monte_carlo.runs scenarios[1].monte_carlo.kpis " +
		"scenarios[2].name scenarios[2].monte_carlo.kpis.nope scenarios[2].outcomes.pet_fdy_energy " +
		"scenarios[2].monte_carlo.kpis.pet_fdy_energy.annual_change_pct_mean " +
		"scenarios[2].monte_carlo.kpis.pet_fdy_energy.annual_change_pct_sd " +
		"scenarios[3].monte_carlo.runs"
	if got := fieldsOf(e); got != want {
		t.Errorf("fields\n got %s\nwant %s", got, want)
	}

	// A KPI without a baseline cannot be grown.
	noBase := simulation(t, quoteTerms(), Scenario{Name: "mc", MonteCarlo: &MonteCarlo{Runs: 1, KPIs: growth}})
	if got := fieldsOf(appErr(t, noBase.Validate(), tfpricing.EINVALID)); got != "scenarios[0].monte_carlo.kpis.pet_fdy_energy" {
		t.Errorf("no baseline: %s", got)
	}

	// Exactly the limits pass; one more fails, naming the field.
	many := func(n int) []Scenario {
		out := make([]Scenario, n)
		for i := range out {
			out[i] = Scenario{Name: fmt.Sprint("s", i)}
		}
		return out
	}
	if err := simulation(t, simTerms(), many(MaxScenarios)...).Validate(); err != nil {
		t.Errorf("50 scenarios: %v", err)
	}
	for _, n := range []int{0, MaxScenarios + 1} {
		err := simulation(t, simTerms(), many(n)...).Validate()
		if got := fieldsOf(appErr(t, err, tfpricing.EINVALID)); got != "scenarios" {
			t.Errorf("%d scenarios: %s", n, got)
		}
	}
	runs := func(a, b int) error {
		return simulation(t, simTerms(), Scenario{Name: "x", MonteCarlo: &MonteCarlo{Runs: a, KPIs: growth}},
			Scenario{Name: "y", MonteCarlo: &MonteCarlo{Runs: b, KPIs: growth}}).Validate()
	}
	if err := runs(50_000, 50_000); err != nil {
		t.Errorf("100,000 runs: %v", err)
	}
	if got := fieldsOf(appErr(t, runs(50_000, 50_001), tfpricing.EINVALID)); got != "scenarios[1].monte_carlo.runs" {
		t.Errorf("100,001 runs: %s", got)
	}
	if got := fieldsOf(appErr(t, runs(1, MaxMonteCarloRuns+1), tfpricing.EINVALID)); got != "scenarios[1].monte_carlo.runs" {
		t.Errorf("100,001 runs in one scenario: %s", got)
	}
}

// countingCtx is done after a number of Err calls.
type countingCtx struct {
	context.Context
	calls, after int
}

func (c *countingCtx) Err() error {
	if c.calls++; c.calls > c.after {
		return context.Canceled
	}
	return nil
}

// Simulate gives up as soon as it sees the context done, between
// scenarios and during the runs.
func TestSimulateCancel(t *testing.T) {
	in := simulation(t, mcTerms(), Scenario{Name: "det"}, Scenario{Name: "mc", MonteCarlo: &MonteCarlo{
		Runs: MaxMonteCarloRuns, Seed: 1, KPIs: map[string]Growth{pet: {MeanPct: dec("-5"), SDPct: dec("3")}}}})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Simulate(ctx, in); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled before: %v", err)
	}
	// Checks: before "det", before "mc", at runs 0 and 256; done at the
	// next, run 512 of 100,000.
	c := &countingCtx{Context: context.Background(), after: 4}
	if _, err := Simulate(c, in); !errors.Is(err, context.Canceled) || c.calls != 5 {
		t.Errorf("cancelled during the runs: %v after %d checks", err, c.calls)
	}
}

// TestBenchMonteCarloInputs keeps the benchmark honest: its runs must
// spread over several outcome vectors, not all meet or all miss.
func TestBenchMonteCarloInputs(t *testing.T) {
	r := simulate(t, benchMonteCarlo(t, 10_000))
	m := r.Scenarios[0].MonteCarlo
	if m.distinct < 8 || m.AllMetShare.IsZero() || m.TotalInterest.P5.Equal(m.TotalInterest.P95) {
		t.Errorf("benchmark Monte Carlo too uniform:\n%s", mcString(m))
	}
	t.Logf("\n%s", mcString(m))
}

// benchMonteCarlo is issue 6's benchmark: runs of the 5-year quarterly loan
// with 2 KPIs of 3 SPTs each, both simulated.
func benchMonteCarlo(t testing.TB, runs int) Simulation {
	return simulation(t, mcTerms(), Scenario{Name: "mc", MonteCarlo: &MonteCarlo{Runs: runs, Seed: 2026,
		KPIs: map[string]Growth{pet: {MeanPct: dec("-6"), SDPct: dec("3")},
			"carbon_intensity": {MeanPct: dec("-5"), SDPct: dec("3")}}}})
}

// BenchmarkMonteCarlo10k runs 10,000 Monte Carlo runs (issue 6).
func BenchmarkMonteCarlo10k(b *testing.B) {
	in := benchMonteCarlo(b, 10_000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Simulate(context.Background(), in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMonteCarlo1k is DESIGN.md §9's 1,000-run Monte Carlo.
func BenchmarkMonteCarlo1k(b *testing.B) {
	in := benchMonteCarlo(b, 1_000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Simulate(context.Background(), in); err != nil {
			b.Fatal(err)
		}
	}
}

// The integer K plan must give, for every outcome vector, the K of every
// period that the schedule computes in decimals; the memo by K path relies
// on it. Checked exhaustively on the two-KPI loan, with a KPI simulated,
// the other assumed, a report lag, an LPR path, and (as of 2027-06-01) the
// 2026 SPT already not_reported, which no draw may change.
func TestKPlanMatchesSchedule(t *testing.T) {
	cut := []Fixing{{EffectiveDate: day("2028-06-20"), OneYear: dec("2.80"), FiveYear: dec("3.30")}}
	for _, c := range []struct {
		asOf string
		sc   Scenario
	}{
		{"2026-11-27", Scenario{Name: "both", MonteCarlo: &MonteCarlo{Runs: 1, KPIs: map[string]Growth{
			pet: {}, "carbon_intensity": {}}}}},
		{"2026-11-27", Scenario{Name: "one", AssumedFixings: cut, Assumptions: Assumptions{Projection: NoneMet, ReportLagDays: 30,
			Outcomes: map[string]map[int]Outcome{"carbon_intensity": {2028: Met}}},
			MonteCarlo: &MonteCarlo{Runs: 1, KPIs: map[string]Growth{pet: {}}}}},
		{"2027-06-01", Scenario{Name: "late", Assumptions: Assumptions{Projection: AllMet},
			MonteCarlo: &MonteCarlo{Runs: 1, KPIs: map[string]Growth{pet: {}}}}},
	} {
		t.Run(c.sc.Name, func(t *testing.T) {
			in := simulation(t, mcTerms(), c.sc)
			in.AsOf = day(c.asOf)
			if err := in.Validate(); err != nil {
				t.Fatal(err)
			}
			m, err := newMCScenario(&in, c.sc)
			if err != nil {
				t.Fatal(err)
			}
			if m.plan == nil {
				t.Fatal("no K plan")
			}
			distinct := map[string]bool{}
			for bits := 0; bits < 1<<m.n; bits++ {
				vec := make([]byte, m.n)
				for i := range vec {
					vec[i] = vecMissed
					if bits&(1<<i) != 0 {
						vec[i] = vecMet
					}
				}
				s := m.e.schedule(m.ledger(vec))
				path := m.plan.path(vec)
				distinct[string(path)] = true
				for i, l := range s.Lines {
					k, n := binary.Varint(path)
					path = path[n:]
					if want := l.RatchetBp.Shift(4).IntPart(); k != want {
						t.Fatalf("vector %s period %d: plan K %d, schedule %d (×10⁻⁴ bp)", vec, i+1, k, want)
					}
				}
				if total, last := m.summary(vec); !total.Equal(s.TotalInterest) || !last.Equal(s.Lines[len(s.Lines)-1].Rate) {
					t.Fatalf("vector %s: summary %s %s, schedule %s", vec, total, last, s.TotalInterest)
				}
				for i, st := range s.SPTs {
					if m.met(vec, i) != (st.Outcome == Met) {
						t.Fatalf("vector %s SPT %d: met %v, schedule %s", vec, i, m.met(vec, i), st.Outcome)
					}
				}
			}
			t.Logf("%d vectors, %d K paths", 1<<m.n, len(distinct))
		})
	}
}

// A policy built in code may state a step the integer plan cannot carry;
// every distinct vector then computes its schedule, with the same result.
func TestMonteCarloWithoutKPlan(t *testing.T) {
	in := simulation(t, simTerms(),
		Scenario{Name: "values", Assumptions: Assumptions{Values: map[string]map[int]decimal.Decimal{
			pet: {2026: dec("81.84"), 2027: dec("76.1112"), 2028: dec("70.783416")}}}},
		Scenario{Name: "mc", MonteCarlo: &MonteCarlo{Runs: 20, Seed: 1,
			KPIs: map[string]Growth{pet: {MeanPct: dec("-7"), SDPct: dec("0")}}}})
	p := *in.Policy
	p.Ratchet.StepDownBp = dec("10.00001")
	in.Policy = &p
	m, err := newMCScenario(&in, in.Scenarios[1])
	if err != nil || m.plan != nil {
		t.Fatalf("plan %v, err %v", m.plan, err)
	}
	r := simulate(t, in)
	if got, want := r.Scenarios[1].MonteCarlo.TotalInterest.P50, r.Scenarios[0].Schedule.TotalInterest; !got.Equal(want) {
		t.Errorf("without the plan %s, deterministic %s", got, want)
	}
}
