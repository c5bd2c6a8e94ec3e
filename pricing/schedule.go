// Package pricing prices transition-finance loans (DESIGN.md §4): the
// versioned pricing policy, the LPR curve, the rate composition, payment
// periods and interest, the KPI ratchet with its projections, and quotes.
//
// Everything here is a pure, deterministic function of its inputs: no clock,
// no global decimal settings (every rounding is an explicit half-up
// DivRound or Round where DESIGN.md puts it), no float64 on any money or
// rate path and no map iteration into output. Compute is the one schedule
// function; booking, recalculation, simulation and replay all call it.
//
// Where DESIGN.md is silent this package decides, and says so at the
// declaration concerned: the savings of a quote (Quote.Savings), assumed
// fixings (Input.AssumedFixings), assumptions (Assumptions), the principal
// of an equal_principal loan too small to share (engine.schedule), the
// total adjustment of a breakdown (Breakdown).
package pricing

import (
	"fmt"

	"github.com/shopspring/decimal"

	"tfpricing"
)

// Input is everything a schedule depends on. Compute is a pure function of
// it, which is what lets booking, recalculation, simulation and replay share
// one computation: replaying a decision means calling Compute again.
type Input struct {
	Terms  Terms
	Policy *Policy
	// Curve is the LPR history; fixings effective after AsOf are ignored.
	Curve Curve
	// AssumedFixings are a scenario's hypothetical future fixings (a
	// simulation's lpr_path). Each must be effective after AsOf. Unlike
	// recorded fixings, which a period reads on min(r, AsOf), an assumed one
	// applies on the repricing date r itself: the latest assumed fixing
	// effective on or before r, when there is one, sets B for the periods
	// from r (it is by construction later than any recorded fixing).
	// Problems are reported as lpr_path[i].…, the simulation request's name.
	AssumedFixings []Fixing
	// Attestations are the loan's recorded attestations; those accepted
	// after AsOf are ignored.
	Attestations []Attestation
	AsOf         tfpricing.Date
	Assumptions  Assumptions
	// Lifecycle holds the loan's approved amendments and declassification
	// (DESIGN.md §5.1); the zero value prices the booked terms alone.
	Lifecycle Lifecycle
}

// Line is one payment period of a schedule.
type Line struct {
	Period           int
	Start            tfpricing.Date
	End              tfpricing.Date
	Days             int
	BenchmarkRate    decimal.Decimal
	BenchmarkDate    tfpricing.Date  // effective date of the fixing used
	AdjustmentBp     decimal.Decimal // A after the total discount limit
	RatchetBp        decimal.Decimal // K
	Rate             decimal.Decimal
	OpeningPrincipal decimal.Decimal
	Principal        decimal.Decimal
	Interest         decimal.Decimal
	Subsidy          decimal.Decimal
	NetInterest      decimal.Decimal
	ClosingPrincipal decimal.Decimal
	FloorApplied     bool
	CapApplied       bool
}

// Schedule is a loan's payment schedule as of a date, with the state of
// its SPTs and how each known attestation was treated.
type Schedule struct {
	AsOf          tfpricing.Date
	Benchmark     string // benchmark name, e.g. LPR1Y
	Lines         []Line
	TotalInterest decimal.Decimal
	TotalSubsidy  decimal.Decimal
	NetInterest   decimal.Decimal
	SPTs          []SPTStatus         // KPI order, then year
	Attestations  []AttestationStatus // (accepted_on, seq) order; known on AsOf only
	// Fixings are the LPR fixings the lines used, oldest first, for the
	// decision record; assumed ones appear as they were assumed.
	Fixings []Fixing
}

var (
	dec36000   = decimal.NewFromInt(36000)   // ACT/360 with the rate in percent
	dec3600000 = decimal.NewFromInt(3600000) // ACT/360 with the rate in bp
	// zeroFen is zero at the scale of amounts: sums that start from it add
	// without rescaling, which saves an allocation per period and total.
	zeroFen = decimal.New(0, -2)
)

// Compute builds the schedule of in. Bad input is one EINVALID error
// listing every field; an unpriced rating or tier, or a period without an
// LPR fixing in force, is EUNPROCESSABLE.
func Compute(in Input) (Schedule, error) {
	if in.Policy == nil {
		return Schedule{}, tfpricing.Errorf(tfpricing.EINTERNAL, "pricing: no policy given")
	}
	if !in.Lifecycle.Empty() {
		return computeLifecycle(in)
	}
	l := newLedger(in.Terms, in.Policy.Ratchet)
	fs := append(baseProblems(in.Terms, in.AsOf, in.AssumedFixings), l.problems(in.Terms, in.Attestations)...)
	fs = append(fs, in.Assumptions.problems(in.Terms, in.Policy.Ratchet.GraceDays)...)
	if err := tfpricing.Invalid(fs); err != nil {
		return Schedule{}, err
	}
	e, err := newEngine(in.Terms, in.Policy, in.Curve, in.AssumedFixings, in.AsOf)
	if err != nil {
		return Schedule{}, err
	}
	l.record(in.Terms, in.Attestations, in.AsOf)
	l.assume(in.Terms, in.Assumptions)
	return e.schedule(l), nil
}

// baseProblems validates what every computation needs: the terms, the
// as_of date and a scenario's assumed fixings.
func baseProblems(t Terms, asOf tfpricing.Date, assumed []Fixing) []tfpricing.FieldError {
	var fs []tfpricing.FieldError
	if err, ok := t.Validate().(*tfpricing.Error); ok && err != nil {
		fs = append(fs, err.Fields...)
	}
	if asOf.IsZero() {
		fs = append(fs, fieldErr("as_of", "required", "is required"))
	}
	fs = append(fs, fixingProblems(assumed, "lpr_path")...)
	for i, f := range assumed {
		if !asOf.IsZero() && !f.EffectiveDate.IsZero() && !f.EffectiveDate.After(asOf) {
			fs = append(fs, fieldErr(fmt.Sprintf("lpr_path[%d].effective_date", i), "range",
				"an assumed fixing must be effective after as_of"))
		}
	}
	return fs
}
