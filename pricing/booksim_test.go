package pricing

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/shopspring/decimal"

	"tfpricing"
)

// bookOf is n loans on the quote's terms, amounts 10,000,000.00 apart so
// that their incomes differ, in two industries.
func bookOf(t testing.TB, n int) []BookLoan {
	out := make([]BookLoan, n)
	for i := range out {
		terms := quoteTerms()
		terms.Facility.Amount = decimal.NewFromInt(int64(10_000_000 * (i + 1))).Round(2)
		out[i] = BookLoan{LoanID: fmt.Sprintf("L-%08d", i+1), IndustryCode: []string{"C2822", "C3011"}[i%2],
			Terms: terms, Policy: shippedPolicy(t)}
	}
	return out
}

func bookSim(t testing.TB, loans []BookLoan, runs int, scs ...BookScenario) BookSimulationResult {
	t.Helper()
	res, err := SimulateBook(context.Background(), BookSimulation{AsOf: day("2026-11-27"), Curve: shippedCurve(t),
		Runs: runs, Seed: 17, Loans: loans, Scenarios: scs})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// incomeUnder sums the loans' interest paid after as_of under a projection,
// computed loan by loan through Compute — the single-loan projections.
func incomeUnder(t testing.TB, loans []BookLoan, p *Policy, proj Projection) decimal.Decimal {
	sum := decimal.Zero
	for _, l := range loans {
		pol := l.Policy
		if p != nil {
			pol = p
		}
		s, err := Compute(Input{Terms: l.Terms, Policy: pol, Curve: shippedCurve(t), AsOf: day("2026-11-27"),
			Assumptions: Assumptions{Projection: proj}})
		if err != nil {
			t.Fatal(err)
		}
		for _, ln := range s.Lines {
			if ln.End.After(day("2026-11-27")) {
				sum = sum.Add(ln.Interest)
			}
		}
	}
	return sum
}

func scenario(name, p, rho string) BookScenario {
	return BookScenario{Name: name, DefaultProbability: dec(p), DefaultCorrelation: dec(rho)}
}

// With p = 1 every run is the all_met projection of every loan, with p = 0
// none_met: mean and every percentile equal the loans' projections summed,
// whatever the correlation; the step-down cost under p = 1 is the current
// projection less all_met, the step-up income under p = 0 none_met less
// current, exactly.
func TestBookSimulationCertainOutcomes(t *testing.T) {
	loans := bookOf(t, 6)
	res := bookSim(t, loans, 50, scenario("met", "1", "0"), scenario("missed", "0", "0.4"), scenario("met1", "1", "1"))
	allMet, noneMet := incomeUnder(t, loans, nil, AllMet), incomeUnder(t, loans, nil, NoneMet)
	current := incomeUnder(t, loans, nil, Current)
	for i, want := range []decimal.Decimal{allMet, noneMet, allMet} {
		s := res.Scenarios[i].Income
		for _, got := range []decimal.Decimal{s.Mean, s.P5, s.P50, s.P95} {
			if !got.Equal(want) {
				t.Errorf("%s: %s, want %s (%+v)", res.Scenarios[i].Name, got, want, s)
			}
		}
	}
	if got := res.Scenarios[0].Income.ExpectedStepDownCost; !got.Equal(current.Sub(allMet)) || !got.IsPositive() {
		t.Errorf("step-down cost %s, want %s", got, current.Sub(allMet))
	}
	if got := res.Scenarios[1].Income.ExpectedStepUpIncome; !got.Equal(noneMet.Sub(current)) || !got.IsPositive() {
		t.Errorf("step-up income %s, want %s", got, noneMet.Sub(current))
	}
	// Two distinct vectors at most per loan (all met, all missed): computed once each.
	if d := res.Scenarios[0].Distinct; d != len(loans) {
		t.Errorf("%d schedules computed for p = 1, want one per loan (%d)", d, len(loans))
	}
}

// Correlation moves the spread, not the mean. Every SPT has p = 0.5, so its
// threshold is Φ⁻¹(0.5) = 0. With ρ = 1 every z of a run is the industry's
// F: each industry's loans meet all or miss all together, and the book's
// income takes at most four values. With ρ = 0 the SPTs are independent and
// the book's income concentrates near its mean. The marginal P(met) = p in
// both, so the expected income is the same; the estimates differ by
// sampling error only. Each industry's income under ρ = 1 is one of two
// values a distance D = (none_met − all_met of that industry) apart with
// probability ½ each, so its mean over R runs has a standard error D/(2√R);
// the ρ = 0 estimate's error is smaller. The test allows 5 standard errors
// of the sum over both industries (D = the book's none_met − all_met), a
// bound broken by chance with probability below 10⁻⁵.
func TestBookSimulationCorrelation(t *testing.T) {
	loans := bookOf(t, 10)
	const runs = 2000
	res := bookSim(t, loans, runs, scenario("independent", "0.5", "0"), scenario("together", "0.5", "1"))
	ind, tog := res.Scenarios[0].Income, res.Scenarios[1].Income
	if spread0, spread1 := ind.P95.Sub(ind.P5), tog.P95.Sub(tog.P5); !spread1.GreaterThan(spread0) {
		t.Errorf("spread p5–p95 with ρ = 1 (%s) not above ρ = 0 (%s)", spread1, spread0)
	}
	d := incomeUnder(t, loans, nil, NoneMet).Sub(incomeUnder(t, loans, nil, AllMet))
	// 5 × D/(2√2000) × √2 < 5 × D × 0.01582
	tol := d.Mul(dec("0.0791"))
	if diff := ind.Mean.Sub(tog.Mean).Abs(); diff.GreaterThan(tol) {
		t.Errorf("means %s and %s differ by %s, more than %s", ind.Mean, tog.Mean, diff, tol)
	}
	// With ρ = 1 each industry's p5 and p95 are its all_met and none_met.
	for i, code := range []string{"C2822", "C3011"} {
		var part []BookLoan
		for j, l := range loans {
			if j%2 == i {
				part = append(part, l)
			}
		}
		g := res.Scenarios[1].ByIndustry[i]
		if g.IndustryCode != code || !g.P5.Equal(incomeUnder(t, part, nil, AllMet)) || !g.P95.Equal(incomeUnder(t, part, nil, NoneMet)) {
			t.Errorf("industry %s under ρ = 1: %+v", code, g)
		}
	}
}

// A draft policy with bigger steps (20 bp down and 10 up, clamps doubled)
// costs more when every SPT is met and earns more when none is, on the same
// draws; the same request gives the same result.
func TestBookSimulationDraftPolicy(t *testing.T) {
	loans := bookOf(t, 4)
	draft := *shippedPolicy(t)
	draft.Version = "draft"
	draft.Ratchet.StepDownBp, draft.Ratchet.StepUpBp = dec("20"), dec("10")
	draft.Ratchet.MaxStepDownBp, draft.Ratchet.MaxStepUpBp = dec("60"), dec("30")
	run := func() BookSimulationResult {
		met, missed := scenario("met", "1", "0.3"), scenario("missed", "0", "0.3")
		dmet, dmissed := met, missed
		dmet.Draft, dmissed.Draft = true, true
		res, err := SimulateBook(context.Background(), BookSimulation{AsOf: day("2026-11-27"), Curve: shippedCurve(t),
			Runs: 20, Seed: 3, Draft: &draft, Loans: loans, Scenarios: []BookScenario{met, dmet, missed, dmissed}})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	res := run()
	s := res.Scenarios
	if !s[1].Income.ExpectedStepDownCost.GreaterThan(s[0].Income.ExpectedStepDownCost) || !s[1].Income.Mean.LessThan(s[0].Income.Mean) {
		t.Errorf("all met: draft %+v, booked %+v", s[1].Income, s[0].Income)
	}
	if !s[3].Income.ExpectedStepUpIncome.GreaterThan(s[2].Income.ExpectedStepUpIncome) || !s[3].Income.Mean.GreaterThan(s[2].Income.Mean) {
		t.Errorf("none met: draft %+v, booked %+v", s[3].Income, s[2].Income)
	}
	if want := incomeUnder(t, loans, &draft, AllMet); !s[1].Income.Mean.Equal(want) {
		t.Errorf("draft all met %s, want the draft's all_met projections %s", s[1].Income.Mean, want)
	}
	if again := run(); !reflect.DeepEqual(again, res) {
		t.Error("the same request gave another result")
	}
}

func TestBookSimulationValidate(t *testing.T) {
	in := BookSimulation{AsOf: day("2026-11-27"), Runs: 0, Scenarios: []BookScenario{
		{DefaultProbability: dec("1.0001"), DefaultCorrelation: dec("-0.0001"), Draft: true,
			Probabilities: map[string]map[int]decimal.Decimal{"m": {2027: dec("1")}}}}}
	e := appErr(t, simulateBookErr(in), tfpricing.EINVALID)
	want := "runs scenarios[0].default_probability scenarios[0].correlation.default scenarios[0].policy"
	if got := fieldsOf(e); got != want {
		t.Errorf("fields %s, want %s", got, want)
	}
}

func simulateBookErr(in BookSimulation) error {
	_, err := SimulateBook(context.Background(), in)
	return err
}
