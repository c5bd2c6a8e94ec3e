package pricing

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
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
//     is rounded half away from zero to 6 decimals (an integer number of
//     millionths) at once, and the year's growth factor is then exact,
//     1 + (mean + sd·z)/100, floored at 0 (a KPI value never turns
//     negative). The KPI value is the exact decimal product baseline ×
//     Π factors; its outcome is met when at or better than the SPT in the
//     KPI's direction. Scenarios with the same seed share their draws
//     (common random numbers), so two scenarios differing only in, say, an
//     LPR path are compared on the same KPI paths.
//   - Only the vector of outcomes varies between runs, and the schedule
//     depends on it only through the ratchet K of each period (the dates
//     of assumed determinations do not depend on their outcomes). So each
//     run's K path is computed in integers from its outcome vector
//     (kPlan), runs are counted by K path, and each distinct path is
//     summarised once. A schedule is computed (with the scenario's engine,
//     through the same ledger and schedule as Compute) only when the path
//     gives some period a K not seen in that period before: a line depends
//     only on its period and its K, so known lines are reused. With few
//     SPTs there are at most 2^SPTs paths; with many, the clamp keeps
//     them, and the (period, K) pairs, few.
//   - Mean and percentiles are exact over the runs; means are rounded
//     half-up to 2 decimals for amounts and 4 for rates; percentiles are
//     nearest-rank (the value of rank ⌈p·N/100⌉ in ascending order) and so
//     are values some run had.
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
	// distinct is the number of distinct K paths (outcome vectors without
	// a K plan), each summarised once; tests check the memoisation with it.
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
func (in *Simulation) deterministic(sc Scenario) (ScenarioResult, error) {
	s, err := Compute(Input{Terms: in.Terms, Policy: in.Policy, Curve: in.Curve, AsOf: in.AsOf,
		AssumedFixings: sc.AssumedFixings, Assumptions: sc.Assumptions})
	if err != nil {
		return ScenarioResult{}, err
	}
	return ScenarioResult{Name: sc.Name, Kind: KindDeterministic, Schedule: s}, nil
}

// simKPI is a simulated KPI prepared for drawing.
type simKPI struct {
	kpi     int // index in Terms.KPIs
	metric  string
	dir     catalog.Direction
	base    decimal.Decimal // baseline value
	from    int             // baseline year
	a, b    int64           // factor·10¹² = a + b·round(z·10⁶): a = (1 + mean/100)·10¹², b = sd/100·10⁶
	targets []catalog.Observation
	pos     int // offset of its SPTs in the outcome vector
}

// outcome bytes of the outcome vector.
const (
	vecMet    = 'm'
	vecMissed = 'x'
)

// draw fills k's part of the outcome vector from one run's draws. The
// factor is built exactly in integers: a has at most 6 decimals and b at
// most 6 (mean and sd have at most 4, in percent), z is rounded half away
// from zero to 6 decimals, so a + b·z has at most 12, and |b·z| < 10¹³
// for any |z| < 10⁷.
func (k *simKPI) draw(rng *rand.Rand, vec []byte) {
	v, ti := k.base, 0
	for y := k.from + 1; ti < len(k.targets); y++ {
		z := int64(math.Round(rng.NormFloat64() * 1e6))
		f := max(k.a+k.b*z, 0)
		v = v.Mul(decimal.New(f, -12))
		if y == k.targets[ti].Year {
			vec[k.pos+ti] = vecMissed
			if k.dir.AtOrBetter(v, k.targets[ti].Value) {
				vec[k.pos+ti] = vecMet
			}
			ti++
		}
	}
}

// mcEntry is one distinct K path (or, without a K plan, outcome vector):
// its schedule's total interest and last rate, and how many runs had it.
type mcEntry struct {
	total, lastRate decimal.Decimal
	count           int
}

// mcScenario is a Monte Carlo scenario being run.
type mcScenario struct {
	in   *Simulation
	a    Assumptions
	e    *engine
	sims []simKPI
	n    int // length of the outcome vector: the simulated KPIs' SPTs
	// vecOf maps each SPT (ledger order) to its position in the outcome
	// vector, or -1 when the draws do not decide it (a KPI not simulated,
	// or a year already determined on as_of).
	vecOf []int
	fixed []bool // the outcome of the SPTs the draws do not decide: met?
	plan  *kPlan // nil when K cannot be computed in integers
	// lines holds the interest and rate of period p under ratchet K, as
	// computed schedules gave them. A line depends on nothing else that
	// varies between runs (principal does not depend on the rate), so a K
	// path whose every (p, K) is known needs no new schedule.
	lines map[periodK]lineResult
}

type periodK struct {
	p int
	k int64
}

type lineResult struct{ interest, rate decimal.Decimal }

// newMCScenario prepares a validated Monte Carlo scenario for its runs.
func newMCScenario(in *Simulation, sc Scenario) (*mcScenario, error) {
	e, err := newEngine(in.Terms, in.Policy, in.Curve, sc.AssumedFixings, in.AsOf)
	if err != nil {
		return nil, err
	}
	m := &mcScenario{in: in, a: sc.Assumptions, e: e, lines: map[periodK]lineResult{}}
	for i, k := range in.Terms.KPIs {
		g, ok := sc.MonteCarlo.KPIs[k.MetricID]
		if !ok {
			continue
		}
		m.sims = append(m.sims, simKPI{kpi: i, metric: k.MetricID, dir: k.Direction, base: k.Baseline.Value,
			from: k.Baseline.Year, a: g.MeanPct.Add(decimal.NewFromInt(100)).Shift(10).IntPart(),
			b: g.SDPct.Shift(4).IntPart(), targets: k.Targets, pos: m.n})
		m.n += len(k.Targets)
	}
	m.prepare()
	return m, nil
}

// monteCarlo draws the runs of sc and summarises them.
func (in *Simulation) monteCarlo(ctx context.Context, sc Scenario) (ScenarioResult, error) {
	mc := sc.MonteCarlo
	m, err := newMCScenario(in, sc)
	if err != nil {
		return ScenarioResult{}, err
	}
	rng := rand.New(rand.NewPCG(mc.Seed, MonteCarloStream))
	vec := make([]byte, m.n)
	metRuns, allMetRuns := make([]int, len(m.vecOf)), 0
	index := make(map[string]int)
	var entries []mcEntry
	for run := 0; run < mc.Runs; run++ {
		if run%ctxEvery == 0 {
			if err := ctx.Err(); err != nil {
				return ScenarioResult{}, err
			}
		}
		for i := range m.sims {
			m.sims[i].draw(rng, vec)
		}
		all := true
		for s := range m.vecOf {
			if m.met(vec, s) {
				metRuns[s]++
			} else {
				all = false
			}
		}
		if all {
			allMetRuns++
		}
		key := vec
		if m.plan != nil {
			key = m.plan.path(vec)
		}
		idx, seen := index[string(key)]
		if !seen {
			idx = len(entries)
			total, last := m.summary(vec)
			entries = append(entries, mcEntry{total: total, lastRate: last})
			index[string(key)] = idx
		}
		entries[idx].count++
	}
	r := &MonteCarloResult{Runs: mc.Runs, Seed: mc.Seed, distinct: len(entries)}
	r.TotalInterest = stats(entries, mc.Runs, 2, func(e *mcEntry) decimal.Decimal { return e.total })
	r.LastRate = stats(entries, mc.Runs, 4, func(e *mcEntry) decimal.Decimal { return e.lastRate })
	runs := decimal.NewFromInt(int64(mc.Runs))
	share := func(count int) decimal.Decimal { return decimal.NewFromInt(int64(count)).DivRound(runs, 4) }
	r.AllMetShare = share(allMetRuns)
	l := newLedger(in.Terms, in.Policy.Ratchet.GraceDays)
	r.SPTMet = make([]SPTProbability, len(l.spts))
	for i, s := range l.spts {
		r.SPTMet[i] = SPTProbability{MetricID: in.Terms.KPIs[s.kpi].MetricID, Year: s.year, Probability: share(metRuns[i])}
	}
	return ScenarioResult{Name: sc.Name, Kind: KindMonteCarlo, MonteCarlo: r}, nil
}

// met tells whether SPT s (ledger order) is met in the run of vec.
func (m *mcScenario) met(vec []byte, s int) bool {
	if pos := m.vecOf[s]; pos >= 0 {
		return vec[pos] == vecMet
	}
	return m.fixed[s]
}

// ledger returns the ledger of one outcome vector: the scenario's
// assumptions, with the simulated KPIs' outcomes set from vec, applied as
// Compute applies them.
func (m *mcScenario) ledger(vec []byte) *ledger {
	t := m.in.Terms
	a := m.a
	outcomes := make(map[string]map[int]Outcome, len(a.Outcomes)+len(m.sims))
	for metric, ys := range a.Outcomes {
		outcomes[metric] = ys // read only; Validate refused simulated KPIs here
	}
	for _, k := range m.sims {
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
	l := newLedger(t, m.in.Policy.Ratchet.GraceDays)
	l.record(t, nil, m.in.AsOf)
	l.assume(t, a)
	return l
}

// prepare finds which SPTs the draws decide and, from the ledger of an
// all-met vector, how each period's K follows from the outcome vector.
// Every assumed determination's date is the same whatever its outcome
// (due date or report lag; the draws give met or missed, never
// not_reported), so the determination governing each KPI in each period
// is the same in every run: only its outcome varies.
func (m *mcScenario) prepare() {
	t := m.in.Terms
	recorded := newLedger(t, m.in.Policy.Ratchet.GraceDays)
	recorded.record(t, nil, m.in.AsOf)
	m.vecOf = make([]int, len(recorded.spts))
	for i := range m.vecOf {
		m.vecOf[i] = -1
	}
	for _, k := range m.sims {
		for j := range k.targets {
			if s := recorded.first[k.kpi] + j; len(recorded.spts[s].dets) == 0 {
				m.vecOf[s] = k.pos + j
			}
		}
	}
	all := make([]byte, m.n)
	for i := range all {
		all[i] = vecMet
	}
	template := m.ledger(all)
	m.fixed = make([]bool, len(template.spts))
	for i, st := range template.sptStatuses(t) {
		m.fixed[i] = st.Outcome == Met
	}
	m.plan = newKPlan(m.e, template, m.vecOf)
}

// summary returns the total interest and the last period's rate of the
// schedule of vec, whose K path (when there is a plan) path has just
// computed. The schedule itself is computed only when some period's K is
// new to that period.
func (m *mcScenario) summary(vec []byte) (total, lastRate decimal.Decimal) {
	if m.plan != nil {
		total = zeroFen
		known := true
		for p, k := range m.plan.ks {
			l, ok := m.lines[periodK{p, k}]
			if !ok {
				known = false
				break
			}
			total, lastRate = total.Add(l.interest), l.rate
		}
		if known {
			return total, lastRate
		}
	}
	s := m.e.schedule(m.ledger(vec))
	if m.plan != nil {
		for p, l := range s.Lines {
			m.lines[periodK{p, m.plan.ks[p]}] = lineResult{interest: l.Interest, rate: l.Rate}
		}
	}
	return s.TotalInterest, s.Lines[len(s.Lines)-1].Rate
}

// kPlan computes the K path of an outcome vector in integers (units of
// 10⁻⁴ bp, the finest step a policy or a KPI may state), exactly as
// engine.ratchet does in decimals: per period, the fixed contributions plus
// −step down for each governing drawn outcome met, +step up for each
// missed, clamped.
type kPlan struct {
	periods []kPeriod
	lo, hi  int64
	ks      []int64 // the last path, per period
	buf     []byte  // the last path as a map key
}

type kPeriod struct {
	fixed int64
	terms []kTerm
}

type kTerm struct {
	pos      int
	down, up int64
}

// newKPlan derives the plan from the all-met template ledger; nil when a
// step is not a whole number of 10⁻⁴ bp (possible only for a policy built
// in code), in which case every distinct vector computes its schedule.
func newKPlan(e *engine, template *ledger, vecOf []int) *kPlan {
	units := func(d decimal.Decimal) (int64, bool) {
		u := d.Shift(4)
		return u.IntPart(), u.IsInteger() && u.Abs().LessThan(decimal.New(1, 15))
	}
	r := e.policy.Ratchet
	lo, ok1 := units(r.MaxStepDownBp)
	hi, ok2 := units(r.MaxStepUpBp)
	if !ok1 || !ok2 {
		return nil
	}
	down, up := stepSizes(e.terms, r)
	p := &kPlan{periods: make([]kPeriod, len(e.periods)), lo: -lo, hi: hi, ks: make([]int64, len(e.periods))}
	for pi, per := range e.periods {
		kp := &p.periods[pi]
		for i := range e.terms.KPIs {
			si, di, ok := template.contribution(i, per.start)
			if !ok {
				continue
			}
			d, okd := units(down[i])
			u, oku := units(up[i])
			if !okd || !oku {
				return nil
			}
			switch {
			case vecOf[si] >= 0:
				kp.terms = append(kp.terms, kTerm{pos: vecOf[si], down: d, up: u})
			case template.spts[si].dets[di].outcome == Met:
				kp.fixed -= d
			default:
				kp.fixed += u
			}
		}
	}
	return p
}

// path computes the K path of vec into p.ks and returns it as a key, one
// varint per period, in a buffer that the next call reuses.
func (p *kPlan) path(vec []byte) []byte {
	p.buf = p.buf[:0]
	for i, per := range p.periods {
		k := per.fixed
		for _, t := range per.terms {
			if vec[t.pos] == vecMet {
				k -= t.down
			} else {
				k += t.up
			}
		}
		p.ks[i] = min(max(k, p.lo), p.hi)
		p.buf = binary.AppendVarint(p.buf, p.ks[i])
	}
	return p.buf
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
