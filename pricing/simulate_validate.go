package pricing

import (
	"context"
	"fmt"
	"strings"

	"tfpricing"
)

// Validate checks the scenarios against the terms and the limits, listing
// every bad field by its request path (scenarios[2].outcomes.<metric>.2027,
// scenarios[0].lpr_path[1].effective_date, scenarios[3].monte_carlo.runs).
// The terms themselves are named as in a quote request.
func (in Simulation) Validate() error {
	if in.Policy == nil {
		return tfpricing.Errorf(tfpricing.EINTERNAL, "pricing: no policy given")
	}
	fs := baseProblems(in.Terms, in.AsOf, nil)
	switch n := len(in.Scenarios); {
	case n == 0:
		return tfpricing.Invalid(append(fs, fieldErr("scenarios", "required", "at least one scenario is required")))
	case n > MaxScenarios:
		return tfpricing.Invalid(append(fs, fieldErr("scenarios", "max",
			fmt.Sprintf("at most %d scenarios per request, not %d", MaxScenarios, n))))
	}
	names := make(map[string]int, len(in.Scenarios))
	total, overflowed := 0, false
	for i, sc := range in.Scenarios {
		var own []tfpricing.FieldError
		switch j, dup := names[sc.Name]; {
		case strings.TrimSpace(sc.Name) == "":
			own = append(own, fieldErr("name", "required", "is required"))
		case dup:
			own = append(own, fieldErr("name", "duplicate", fmt.Sprintf("scenarios[%d] has the same name", j)))
		default:
			names[sc.Name] = i
		}
		own = append(own, sc.Assumptions.problems(in.Terms, in.Policy.Ratchet.GraceDays)...)
		own = append(own, assumedFixingProblems(sc.AssumedFixings, in.AsOf)...)
		if mc := sc.MonteCarlo; mc != nil {
			own = append(own, mc.problems(in.Terms, sc.Assumptions)...)
			if mc.Runs > 0 && mc.Runs <= MaxMonteCarloRuns {
				total += mc.Runs
				if total > MaxMonteCarloRuns && !overflowed {
					overflowed = true
					own = append(own, fieldErr("monte_carlo.runs", "limit", fmt.Sprintf(
						"the request's Monte Carlo runs add up to %d here; at most %d per request", total, MaxMonteCarloRuns)))
				}
			}
		}
		for _, f := range own {
			f.Field = fmt.Sprintf("scenarios[%d].%s", i, f.Field)
			fs = append(fs, f)
		}
	}
	return tfpricing.Invalid(fs)
}

// assumedFixingProblems checks a scenario's LPR path as baseProblems does.
func assumedFixingProblems(assumed []Fixing, asOf tfpricing.Date) []tfpricing.FieldError {
	fs := fixingProblems(assumed, "lpr_path")
	for i, f := range assumed {
		if !asOf.IsZero() && !f.EffectiveDate.IsZero() && !f.EffectiveDate.After(asOf) {
			fs = append(fs, fieldErr(fmt.Sprintf("lpr_path[%d].effective_date", i), "range",
				"an assumed fixing must be effective after as_of"))
		}
	}
	return fs
}

func (mc *MonteCarlo) problems(t Terms, a Assumptions) []tfpricing.FieldError {
	var fs []tfpricing.FieldError
	if mc.Runs < 1 || mc.Runs > MaxMonteCarloRuns {
		fs = append(fs, fieldErr("monte_carlo.runs", "range", fmt.Sprintf("must be from 1 to %d", MaxMonteCarloRuns)))
	}
	if len(mc.KPIs) == 0 {
		fs = append(fs, fieldErr("monte_carlo.kpis", "required", "name at least one KPI to simulate"))
	}
	for _, m := range sortedKeys(mc.KPIs) {
		p := "monte_carlo.kpis." + m
		k, ok := kpiNamed(t, m)
		if !ok {
			fs = append(fs, fieldErr(p, "unknown", "is not a KPI of this loan"))
			continue
		}
		if k.Baseline.Year == 0 || len(k.Targets) == 0 || k.Baseline.Year >= k.Targets[0].Year {
			fs = append(fs, fieldErr(p, "baseline", "the KPI needs a baseline year before its first target year"))
		}
		if _, both := a.Outcomes[m]; both {
			fs = append(fs, fieldErr("outcomes."+m, "conflict",
				"the KPI is simulated by monte_carlo.kpis; give it outcomes or simulate it, not both"))
		}
		if _, both := a.Values[m]; both {
			fs = append(fs, fieldErr("kpi_values."+m, "conflict",
				"the KPI is simulated by monte_carlo.kpis; give it kpi_values or simulate it, not both"))
		}
		g := mc.KPIs[m]
		if g.MeanPct.Abs().GreaterThan(maxGrowthPct) || g.MeanPct.Exponent() < -4 {
			fs = append(fs, fieldErr(p+".annual_change_pct_mean", "range",
				"must be from -100 to 100 percent with at most 4 decimals"))
		}
		if g.SDPct.IsNegative() || g.SDPct.GreaterThan(maxGrowthPct) || g.SDPct.Exponent() < -4 {
			fs = append(fs, fieldErr(p+".annual_change_pct_sd", "range",
				"must be from 0 to 100 percent with at most 4 decimals"))
		}
	}
	return fs
}

func kpiNamed(t Terms, metric string) (KPI, bool) {
	for _, k := range t.KPIs {
		if k.MetricID == metric {
			return k, true
		}
	}
	return KPI{}, false
}

// Simulate runs every scenario of in, in order. It never touches stored
// loans: it is a pure function of in, and the same in gives the same result
// (Monte Carlo included). It checks ctx between scenarios and every few
// hundred runs and returns ctx.Err() once ctx is done. Bad input is one
// EINVALID error listing every field (see Validate); a period without an
// LPR fixing in force is EUNPROCESSABLE.
func Simulate(ctx context.Context, in Simulation) (SimulationResult, error) {
	if err := in.Validate(); err != nil {
		return SimulationResult{}, err
	}
	out := SimulationResult{Scenarios: make([]ScenarioResult, len(in.Scenarios))}
	base := -1
	for i, sc := range in.Scenarios {
		if err := ctx.Err(); err != nil {
			return SimulationResult{}, err
		}
		var r ScenarioResult
		var err error
		if sc.MonteCarlo != nil {
			r, err = in.monteCarlo(ctx, sc)
		} else {
			r, err = in.deterministic(sc)
		}
		if err != nil {
			return SimulationResult{}, inScenario(i, err)
		}
		out.Scenarios[i] = r
		if base < 0 && r.Kind == KindDeterministic {
			base = i
		}
	}
	if base >= 0 {
		b := out.Scenarios[base]
		out.Baseline = Baseline{Name: b.Name, Source: "scenario", NetInterest: b.Schedule.NetInterest}
	} else {
		s, err := Compute(Input{Terms: in.Terms, Policy: in.Policy, Curve: in.Curve, AsOf: in.AsOf,
			Assumptions: Assumptions{Projection: NoneMet}})
		if err != nil {
			return SimulationResult{}, err
		}
		out.Baseline = Baseline{Name: BaselineNoneMet, Source: BaselineNoneMet, NetInterest: s.NetInterest}
	}
	for i := range out.Scenarios {
		if r := &out.Scenarios[i]; r.Kind == KindDeterministic {
			r.DifferenceVsBaseline = r.Schedule.NetInterest.Sub(out.Baseline.NetInterest)
		}
	}
	return out, nil
}

// inScenario names the fields of an EINVALID error inside scenario i.
func inScenario(i int, err error) error {
	te, ok := err.(*tfpricing.Error)
	if !ok || te.Code != tfpricing.EINVALID {
		return err
	}
	out := *te
	out.Fields = make([]tfpricing.FieldError, len(te.Fields))
	for j, f := range te.Fields {
		f.Field = fmt.Sprintf("scenarios[%d].%s", i, f.Field)
		out.Fields[j] = f
	}
	return &out
}

// deterministic computes a scenario with Compute, the one schedule function.
func (in *Simulation) deterministic(sc Scenario) (ScenarioResult, error) {
	s, err := Compute(Input{Terms: in.Terms, Policy: in.Policy, Curve: in.Curve, AsOf: in.AsOf,
		AssumedFixings: sc.AssumedFixings, Assumptions: sc.Assumptions})
	if err != nil {
		return ScenarioResult{}, err
	}
	return ScenarioResult{Name: sc.Name, Kind: KindDeterministic, Schedule: s}, nil
}
