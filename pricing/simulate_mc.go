package pricing

import (
	"context"
	"math"
	"math/rand/v2"

	"github.com/shopspring/decimal"

	"tfpricing/catalog"
)

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
	l := newLedger(in.Terms, in.Policy.Ratchet)
	r.SPTMet = make([]SPTProbability, len(l.spts))
	for i, s := range l.spts {
		r.SPTMet[i] = SPTProbability{MetricID: in.Terms.KPIs[s.kpi].MetricID, Year: s.year, Probability: share(metRuns[i])}
	}
	return ScenarioResult{Name: sc.Name, Kind: KindMonteCarlo, MonteCarlo: r}, nil
}
