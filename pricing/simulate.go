package pricing

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/catalog"
)

// Scenario simulation (DESIGN.md §4.5, §7 POST /v1/simulations): what a
// proposed loan costs under assumed KPI outcomes, KPI values, LPR paths and
// report lags, or under KPI paths drawn at random (Monte Carlo).
//
// Decisions where the design is silent, stated once here:
//
//   - The baseline of difference_vs_baseline is the first deterministic
//     scenario; with none, the quote's none_met projection (no assumed
//     fixings). Differences are of net interest (after subsidy): what the
//     borrower pays.
//   - A Monte Carlo scenario may also carry outcomes, kpi_values,
//     projection, lpr_path and report_lag_days. They apply as in a
//     deterministic scenario to the KPIs it does not simulate; a KPI that is
//     both simulated and given outcomes or kpi_values is refused (400,
//     field outcomes.<metric> or kpi_values.<metric>): a KPI is either
//     assumed or drawn, never both, so no draw is silently overridden.
//   - Draws: one explicit PCG source per scenario, seeded with (seed,
//     MonteCarloStream); per run, the simulated KPIs in plan order, and for
//     each the years from its baseline year + 1 to its last target year in
//     order, one NormFloat64 draw z each. The draw is the only float64: it
//     is rounded half-up to 6 decimals as a decimal at once, and the year's
//     growth factor is then exact, 1 + (mean + sd·z)/100, floored at 0 (a
//     KPI value never turns negative). The KPI value is the exact decimal
//     product baseline × Π factors; its outcome is met when at or better
//     than the SPT in the KPI's direction. Scenarios with the same seed
//     share their draws (common random numbers), so two scenarios differing
//     only in, say, an LPR path are compared on the same KPI paths.
//   - Only the vector of outcomes varies between runs, so each distinct
//     vector's schedule is computed once (with the scenario's engine) and
//     counted; statistics come from these counts. Mean and percentiles are
//     exact over the runs; means are rounded half-up to 2 decimals for
//     amounts and 4 for rates; percentiles are nearest-rank (the value of
//     rank ⌈p·N/100⌉ in ascending order) and so are values some run had.
//   - spt_met_probability covers every SPT of every KPI: a KPI not
//     simulated has 1 or 0 by the scenario's assumption (pending counts as
//     not met), which is also what all_met_share, the share of runs in
//     which every SPT was met, sees.

// Limits of one simulation request.
const (
	MaxScenarios      = 50
	MaxMonteCarloRuns = 100_000 // over all the scenarios of a request
	// MonteCarloStream is the second PCG seed word (the stream) of every
	// Monte Carlo source. Changing it changes every seeded result.
	MonteCarloStream uint64 = 0x7466_7072_6963_696e // "tfpricin"
	// ctxEvery is how many runs pass between checks of the context.
	ctxEvery = 256
)

// Kinds of scenario result.
const (
	KindDeterministic = "deterministic"
	KindMonteCarlo    = "monte_carlo"
)

// BaselineNoneMet is the Baseline source when no scenario is deterministic.
const BaselineNoneMet = "none_met"

var maxGrowthPct = decimal.NewFromInt(100)

// Growth is a KPI's annual change in percent: g ~ Normal(MeanPct, SDPct).
// Negative means the value falls.
type Growth struct {
	MeanPct decimal.Decimal
	SDPct   decimal.Decimal
}

// MonteCarlo asks for Runs random KPI paths of the KPIs in KPIs (metric id
// → growth), drawn from a source seeded with Seed.
type MonteCarlo struct {
	Runs int
	Seed uint64
	KPIs map[string]Growth
}

// Scenario is one simulated scenario. Assumptions say what happens to the
// SPT years (Outcomes, Values, Projection, ReportLagDays — see
// Assumptions); AssumedFixings is the assumed LPR path (see
// Input.AssumedFixings). With MonteCarlo set the scenario is a Monte Carlo
// one, whose simulated KPIs' outcomes come from the draws.
type Scenario struct {
	Name           string
	Assumptions    Assumptions
	AssumedFixings []Fixing
	MonteCarlo     *MonteCarlo
}

// Simulation is the input of Simulate: a priced quote's terms (Tier set
// from its eligibility), the policy and LPR history it was priced with,
// its as_of date, and the scenarios.
type Simulation struct {
	Terms     Terms
	Policy    *Policy
	Curve     Curve
	AsOf      tfpricing.Date
	Scenarios []Scenario
}

// Baseline is what difference_vs_baseline is measured against: the first
// deterministic scenario (Source "scenario", Name its name) or, without
// one, the quote's none_met projection (Source and Name "none_met").
type Baseline struct {
	Name        string
	Source      string
	NetInterest decimal.Decimal
}

// Stats summarises a quantity over the runs of a Monte Carlo scenario.
type Stats struct {
	Mean, P5, P50, P95 decimal.Decimal
}

// SPTProbability is the share of runs in which an SPT was met.
type SPTProbability struct {
	MetricID    string
	Year        int
	Probability decimal.Decimal // 4 decimals
}

// MonteCarloResult is a Monte Carlo scenario's outcome.
type MonteCarloResult struct {
	Runs          int
	Seed          uint64
	TotalInterest Stats // amounts; mean to 2 decimals
	LastRate      Stats // the last period's rate; mean to 4 decimals
	// SPTMet lists every SPT in KPI then year order.
	SPTMet      []SPTProbability
	AllMetShare decimal.Decimal // 4 decimals
	// distinct is the number of distinct outcome vectors, each computed
	// once; tests check the memoisation with it.
	distinct int
}

// ScenarioResult is one scenario's outcome. A deterministic one has its
// Schedule (lines, totals, every SPT's determination or assumption) and its
// net interest less the baseline's; a Monte Carlo one has MonteCarlo.
type ScenarioResult struct {
	Name                 string
	Kind                 string
	Schedule             Schedule
	DifferenceVsBaseline decimal.Decimal
	MonteCarlo           *MonteCarloResult
}

// SimulationResult is the outcome of Simulate, scenarios in request order.
type SimulationResult struct {
	Baseline  Baseline
	Scenarios []ScenarioResult
}

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
func (in Simulation) deterministic(sc Scenario) (ScenarioResult, error) {
	s, err := Compute(Input{Terms: in.Terms, Policy: in.Policy, Curve: in.Curve, AsOf: in.AsOf,
		AssumedFixings: sc.AssumedFixings, Assumptions: sc.Assumptions})
	if err != nil {
		return ScenarioResult{}, err
	}
	return ScenarioResult{Name: sc.Name, Kind: KindDeterministic, Schedule: s}, nil
}

// simKPI is a simulated KPI prepared for drawing.
type simKPI struct {
	metric  string
	dir     catalog.Direction
	base    decimal.Decimal // baseline value
	from    int             // baseline year
	a, b    decimal.Decimal // factor = a + b·z: a = 1 + mean/100, b = sd/100
	targets []catalog.Observation
	pos     int // offset of its SPTs in the outcome vector
}

// outcome bytes of the outcome vector.
const (
	vecMet    = 'm'
	vecMissed = 'x'
)

// draw fills k's part of the outcome vector from one run's draws.
func (k *simKPI) draw(rng *rand.Rand, vec []byte) {
	v, ti := k.base, 0
	for y := k.from + 1; ti < len(k.targets); y++ {
		z := decimal.NewFromFloat(rng.NormFloat64()).Round(6)
		f := k.a.Add(k.b.Mul(z))
		if f.Sign() < 0 {
			f = decimal.Zero
		}
		v = v.Mul(f)
		if y == k.targets[ti].Year {
			vec[k.pos+ti] = vecMissed
			if k.dir.AtOrBetter(v, k.targets[ti].Value) {
				vec[k.pos+ti] = vecMet
			}
			ti++
		}
	}
}

// mcEntry is one distinct outcome vector: what its schedule gave and how
// many runs drew it.
type mcEntry struct {
	total, lastRate decimal.Decimal
	met             []bool // per SPT, KPI then year order
	allMet          bool
	count           int
}

// monteCarlo draws the runs of sc and summarises them.
func (in Simulation) monteCarlo(ctx context.Context, sc Scenario) (ScenarioResult, error) {
	mc := sc.MonteCarlo
	e, err := newEngine(in.Terms, in.Policy, in.Curve, sc.AssumedFixings, in.AsOf)
	if err != nil {
		return ScenarioResult{}, err
	}
	var sims []simKPI
	n := 0
	for _, k := range in.Terms.KPIs {
		g, ok := mc.KPIs[k.MetricID]
		if !ok {
			continue
		}
		sims = append(sims, simKPI{metric: k.MetricID, dir: k.Direction, base: k.Baseline.Value,
			from: k.Baseline.Year, a: decimal.NewFromInt(1).Add(g.MeanPct.Shift(-2)), b: g.SDPct.Shift(-2),
			targets: k.Targets, pos: n})
		n += len(k.Targets)
	}
	rng := rand.New(rand.NewPCG(mc.Seed, MonteCarloStream))
	vec := make([]byte, n)
	memo := make(map[string]int)
	var entries []mcEntry
	for run := 0; run < mc.Runs; run++ {
		if run%ctxEvery == 0 {
			if err := ctx.Err(); err != nil {
				return ScenarioResult{}, err
			}
		}
		for i := range sims {
			sims[i].draw(rng, vec)
		}
		idx, seen := memo[string(vec)]
		if !seen {
			idx = len(entries)
			entries = append(entries, in.entry(e, sc.Assumptions, sims, vec))
			memo[string(vec)] = idx
		}
		entries[idx].count++
	}
	r := &MonteCarloResult{Runs: mc.Runs, Seed: mc.Seed, distinct: len(entries)}
	r.TotalInterest = stats(entries, mc.Runs, 2, func(e *mcEntry) decimal.Decimal { return e.total })
	r.LastRate = stats(entries, mc.Runs, 4, func(e *mcEntry) decimal.Decimal { return e.lastRate })
	runs := decimal.NewFromInt(int64(mc.Runs))
	share := func(count int) decimal.Decimal { return decimal.NewFromInt(int64(count)).DivRound(runs, 4) }
	l := newLedger(in.Terms, in.Policy.Ratchet.GraceDays)
	allMet := 0
	for _, en := range entries {
		if en.allMet {
			allMet += en.count
		}
	}
	r.AllMetShare = share(allMet)
	r.SPTMet = make([]SPTProbability, len(l.spts))
	for i, s := range l.spts {
		met := 0
		for _, en := range entries {
			if en.met[i] {
				met += en.count
			}
		}
		r.SPTMet[i] = SPTProbability{MetricID: in.Terms.KPIs[s.kpi].MetricID, Year: s.year, Probability: share(met)}
	}
	return ScenarioResult{Name: sc.Name, Kind: KindMonteCarlo, MonteCarlo: r}, nil
}

// entry computes the schedule of one outcome vector: the scenario's
// assumptions, with the simulated KPIs' outcomes set from vec, through the
// same ledger and schedule as Compute.
func (in Simulation) entry(e *engine, a Assumptions, sims []simKPI, vec []byte) mcEntry {
	outcomes := make(map[string]map[int]Outcome, len(a.Outcomes)+len(sims))
	for m, ys := range a.Outcomes {
		outcomes[m] = ys // read only; Validate refused simulated KPIs here
	}
	for _, k := range sims {
		ys := make(map[int]Outcome, len(k.targets))
		for j, tg := range k.targets {
			ys[tg.Year] = Missed
			if vec[k.pos+j] == vecMet {
				ys[tg.Year] = Met
			}
		}
		outcomes[k.metric] = ys
	}
	a.Outcomes = outcomes
	l := newLedger(in.Terms, in.Policy.Ratchet.GraceDays)
	l.record(in.Terms, nil, in.AsOf)
	l.assume(in.Terms, a)
	s := e.schedule(l)
	en := mcEntry{total: s.TotalInterest, lastRate: s.Lines[len(s.Lines)-1].Rate,
		met: make([]bool, len(s.SPTs)), allMet: true}
	for i, st := range s.SPTs {
		en.met[i] = st.Outcome == Met
		en.allMet = en.allMet && en.met[i]
	}
	return en
}

// stats summarises value over the runs the entries stand for: the exact
// mean rounded half-up to places, and the nearest-rank 5th, 50th and 95th
// percentiles.
func stats(entries []mcEntry, runs int, places int32, value func(*mcEntry) decimal.Decimal) Stats {
	order := make([]int, len(entries))
	sum := decimal.Zero
	for i := range entries {
		order[i] = i
		sum = sum.Add(value(&entries[i]).Mul(decimal.NewFromInt(int64(entries[i].count))))
	}
	// Equal values are interchangeable, so the order among them is moot.
	slices.SortStableFunc(order, func(x, y int) int { return value(&entries[x]).Cmp(value(&entries[y])) })
	pct := func(p int) decimal.Decimal {
		rank, cum := nearestRank(p, runs), 0
		for _, i := range order {
			if cum += entries[i].count; cum >= rank {
				return value(&entries[i])
			}
		}
		return value(&entries[order[len(order)-1]])
	}
	return Stats{Mean: sum.DivRound(decimal.NewFromInt(int64(runs)), places), P5: pct(5), P50: pct(50), P95: pct(95)}
}

// nearestRank is the 1-based rank of the p-th percentile of n values:
// ⌈p·n/100⌉, at least 1.
func nearestRank(p, n int) int {
	return max((p*n+99)/100, 1)
}
