package pricing

import (
	"github.com/shopspring/decimal"

	"tfpricing"
)

// Portfolio simulation (issue 17, POST /v1/portfolio/simulations): the book's
// interest income under scenarios of KPI outcomes drawn with a one-factor
// Gaussian copula, assumed LPR paths, report lags and, optionally, a draft
// policy in place of each loan's booked one.
//
// Decisions stated once here:
//
//   - What is drawn: every SPT still pending on AsOf (undetermined in the
//     loan's recorded schedule). Determined SPTs keep their determinations.
//   - The draw: per run and industry one factor F ~ N(0,1), from one PCG
//     source seeded (Seed, BookFactorStream), industries in code order; per
//     loan its own source seeded (Seed ⊕ FNV-1a(loan id), BookNoiseStream),
//     per run one ε ~ N(0,1) per pending SPT in schedule order (KPI, then
//     year). z = √ρ·F + √(1−ρ)·ε; the SPT is met when z < Φ⁻¹(p). The draws
//     do not depend on p, ρ, the policy or the LPR path, so the scenarios of
//     a request share them (common random numbers), and a loan's draws do
//     not depend on which other loans the filter kept. This is the one place
//     float64 is used; it decides only met or missed. p = 0 is never met and
//     p = 1 always (Φ⁻¹ is ∓∞).
//   - A loan's schedule depends only on its outcome vector, so each distinct
//     vector is computed once per loan and scenario (through Compute, as the
//     outcome assumptions of a single-loan simulation) and then counted.
//   - Income is gross interest of the periods paid after AsOf (to maturity).
//     Money is summed exactly in integer fen (every amount has 2 decimals);
//     means are rounded half away from zero to 2 decimals; percentiles are
//     nearest-rank, values some run had.
//   - Step-down cost and step-up income are measured per loan and run
//     against the loan's neutral schedule (pending years change nothing,
//     the same scenario otherwise): a loan paying less is a step-down cost,
//     more a step-up income (netted over the loan's periods); expected
//     values are means over runs.
//   - Floor, cap and discount limit: a loan counts in a run when a period paid
//     after AsOf has the floor or the cap applied, or its adjustment A at the
//     policy's total discount limit (A = −max_total_discount_bp). Reported as
//     the mean number of loans per run (4 decimals) and the number of loans
//     that hit it in any run.

// Streams of the portfolio simulation's sources (second PCG seed word).
const (
	BookFactorStream uint64 = 0x7466_626f_6f6b_4631 // "tfbookF1"
	BookNoiseStream  uint64 = 0x7466_626f_6f6b_4531 // "tfbookE1"
	// MaxBookPending is the most pending SPTs a loan may have in a portfolio
	// simulation: its distinct outcome vectors are kept in a 2^n table.
	MaxBookPending = 16
)

// BookLoan is a loan as the portfolio simulation needs it.
type BookLoan struct {
	LoanID       string
	IndustryCode string
	Terms        Terms
	Policy       *Policy // the booked policy
	Attestations []Attestation
}

// BookScenario is one scenario of a portfolio simulation. Probabilities are
// keyed by metric id then year; year 0 is any year of that metric; a
// missing one is DefaultProbability. Correlation ρ is by industry code, or
// DefaultCorrelation. Draft uses the simulation's draft policy for every loan.
type BookScenario struct {
	Name               string
	Probabilities      map[string]map[int]decimal.Decimal
	DefaultProbability decimal.Decimal
	Correlation        map[string]decimal.Decimal
	DefaultCorrelation decimal.Decimal
	AssumedFixings     []Fixing
	ReportLagDays      int
	Draft              bool
}

// BookSimulation is the input of SimulateBook.
type BookSimulation struct {
	AsOf      tfpricing.Date
	Curve     Curve
	Runs      int
	Seed      uint64
	Draft     *Policy
	Loans     []BookLoan // in id order
	Scenarios []BookScenario
}

// BookIncome is the distribution of an income over the runs and the
// expected ratchet effects.
type BookIncome struct {
	Stats
	ExpectedStepDownCost decimal.Decimal
	ExpectedStepUpIncome decimal.Decimal
}

// LimitHits counts loans at a pricing limit.
type LimitHits struct {
	MeanPerRun decimal.Decimal // 4 decimals
	AnyRun     int
}

// IndustryIncome is one industry's part of a scenario.
type IndustryIncome struct {
	IndustryCode string
	Loans        int
	BookIncome
}

// BookScenarioResult is one scenario's outcome.
type BookScenarioResult struct {
	Name          string
	Income        BookIncome
	Floor         LimitHits
	Cap           LimitHits
	DiscountLimit LimitHits
	ByIndustry    []IndustryIncome
	// Distinct is the number of schedules computed: distinct outcome
	// vectors over all loans (tests check the caching with it).
	Distinct int
}

// BookSimulationResult is the outcome of SimulateBook, scenarios in order.
type BookSimulationResult struct {
	AsOf      tfpricing.Date
	Runs      int
	Seed      uint64
	Loans     int
	Scenarios []BookScenarioResult
}
