package pricing

import (
	"github.com/shopspring/decimal"

	"tfpricing"
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
