package pricing

import (
	"context"
	"fmt"
	"slices"

	"github.com/shopspring/decimal"

	"tfpricing"
)

// Limits of one portfolio simulation request.
const (
	MaxBookRuns      = 100_000
	MaxBookScenarios = 10
)

var one = decimal.NewFromInt(1)

func (sc *BookScenario) probability(metric string, year int) decimal.Decimal {
	if p, ok := sc.Probabilities[metric][year]; ok {
		return p
	}
	if p, ok := sc.Probabilities[metric][0]; ok {
		return p
	}
	return sc.DefaultProbability
}

func (sc *BookScenario) correlation(industry string) decimal.Decimal {
	if r, ok := sc.Correlation[industry]; ok {
		return r
	}
	return sc.DefaultCorrelation
}

// Validate lists every bad field of the simulation, named as the request
// names them.
func (in *BookSimulation) Validate() error {
	var fs []tfpricing.FieldError
	add := func(field, code, msg string) {
		fs = append(fs, tfpricing.FieldError{Field: field, Code: code, Message: msg})
	}
	if in.Runs < 1 || in.Runs > MaxBookRuns {
		add("runs", "range", fmt.Sprintf("must be from 1 to %d", MaxBookRuns))
	}
	if len(in.Scenarios) < 1 || len(in.Scenarios) > MaxBookScenarios {
		add("scenarios", "range", fmt.Sprintf("must hold 1 to %d scenarios", MaxBookScenarios))
	}
	unit := func(field string, d decimal.Decimal) {
		if d.IsNegative() || d.GreaterThan(one) {
			add(field, "range", "must be from 0 to 1")
		}
	}
	for i, sc := range in.Scenarios {
		p := fmt.Sprintf("scenarios[%d].", i)
		unit(p+"default_probability", sc.DefaultProbability)
		unit(p+"correlation.default", sc.DefaultCorrelation)
		for _, m := range sortedKeys(sc.Probabilities) {
			for _, y := range sortedKeys(sc.Probabilities[m]) {
				unit(fmt.Sprintf("%sprobabilities.%s.%d", p, m, y), sc.Probabilities[m][y])
			}
		}
		for _, ind := range sortedKeys(sc.Correlation) {
			unit(p+"correlation.by_industry."+ind, sc.Correlation[ind])
		}
		if sc.Draft && in.Draft == nil {
			add(p+"policy", "draft_missing", "is draft, but the request has no draft_policy")
		}
		for _, f := range assumedFixingProblems(sc.AssumedFixings, in.AsOf) {
			f.Field = p + f.Field
			fs = append(fs, f)
		}
	}
	return tfpricing.Invalid(fs)
}

// SimulateBook runs the scenarios over the loans. The same input gives the
// same result, whatever the number of cores. It stops with ctx's error when
// ctx ends.
func SimulateBook(ctx context.Context, in BookSimulation) (BookSimulationResult, error) {
	if err := in.Validate(); err != nil {
		return BookSimulationResult{}, err
	}
	industries := []string{}
	for _, l := range in.Loans {
		if !slices.Contains(industries, l.IndustryCode) {
			industries = append(industries, l.IndustryCode)
		}
	}
	slices.Sort(industries)
	nInd := len(industries)
	factors := drawFactors(in.Seed, in.Runs, nInd)
	out := BookSimulationResult{AsOf: in.AsOf, Runs: in.Runs, Seed: in.Seed, Loans: len(in.Loans)}
	for i := range in.Scenarios {
		sc := &in.Scenarios[i]
		loans, err := in.prepare(sc, industries)
		if err != nil {
			return BookSimulationResult{}, err
		}
		acc, err := runScenario(ctx, &in, sc, loans, factors, nInd)
		if err != nil {
			return BookSimulationResult{}, err
		}
		out.Scenarios = append(out.Scenarios, summarise(sc.Name, acc, loans, industries))
	}
	return out, nil
}

// prepare finds each loan's pending SPTs on AsOf and its scenario input.
func (in *BookSimulation) prepare(sc *BookScenario, industries []string) ([]bookLoanRun, error) {
	out := make([]bookLoanRun, 0, len(in.Loans))
	for i := range in.Loans {
		l := &in.Loans[i]
		pol := l.Policy
		if sc.Draft {
			pol = in.Draft
		}
		base := Input{Terms: l.Terms, Policy: pol, Curve: in.Curve, Attestations: l.Attestations, AsOf: in.AsOf,
			AssumedFixings: sc.AssumedFixings, Assumptions: Assumptions{ReportLagDays: sc.ReportLagDays}}
		recorded, err := Compute(Input{Terms: l.Terms, Policy: l.Policy, Curve: in.Curve, Attestations: l.Attestations, AsOf: in.AsOf})
		if err != nil {
			return nil, inLoan(l.LoanID, err)
		}
		var pending []SPTStatus
		for _, s := range recorded.SPTs {
			if s.Outcome == Pending {
				pending = append(pending, s)
			}
		}
		if len(pending) > MaxBookPending {
			return nil, tfpricing.Errorf(tfpricing.EUNPROCESSABLE, "loan %s has %d pending SPTs, more than %d", l.LoanID, len(pending), MaxBookPending)
		}
		ind, _ := slices.BinarySearch(industries, l.IndustryCode)
		out = append(out, bookLoanRun{l: l, ind: ind, pending: pending, in: base})
	}
	return out, nil
}
