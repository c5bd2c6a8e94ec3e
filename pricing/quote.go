package pricing

import (
	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/catalog"
)

// Breakdown is the composition of a quote's first-period rate (DESIGN.md
// §4.4, §4.6). TotalAdjustmentBp is A after the total discount limit — the
// sum of the tier, ESG, carbon and ratchet adjustments, without the credit
// spread — so AllInRate = BenchmarkRate + (CreditSpreadBp +
// TotalAdjustmentBp)/100 before the floor and the cap.
type Breakdown struct {
	BenchmarkName       string
	BenchmarkDate       tfpricing.Date
	BenchmarkRate       decimal.Decimal
	CreditSpreadBp      decimal.Decimal
	TierAdjustmentBp    decimal.Decimal
	ESGAdjustmentBp     decimal.Decimal
	CarbonAdjustmentBp  decimal.Decimal
	RatchetAdjustmentBp decimal.Decimal
	TotalAdjustmentBp   decimal.Decimal
	FloorApplied        bool
	CapApplied          bool
	AllInRate           decimal.Decimal
}

// Quote is the price of a new loan: the first-period breakdown and the three
// projections of §4.5.
type Quote struct {
	AsOf      tfpricing.Date
	Policy    PolicyRef
	Breakdown Breakdown
	Current   Schedule
	AllMet    Schedule
	NoneMet   Schedule
	// Savings is NoneMet.TotalInterest − AllMet.TotalInterest: the contractual
	// interest the borrower saves by meeting every SPT rather than missing
	// every one. It is taken before subsidy, because the subsidy does not
	// depend on the KPIs (unless it is capped at the interest) and the
	// ratchet is what the figure is meant to show.
	Savings    decimal.Decimal
	ValidUntil tfpricing.Date
}

// PriceQuote prices a new loan as of asOf, for terms whose Tier is the
// eligibility assessment's. A new loan has no attestations, so every SPT is
// pending: Current has no ratchet, AllMet and NoneMet assume each year met
// or missed on its due date. An ineligible tier and a start date before
// asOf are refused (422), as is a rating the policy does not price.
func PriceQuote(t Terms, p *Policy, c Curve, asOf tfpricing.Date) (Quote, error) {
	if p == nil {
		return Quote{}, tfpricing.Errorf(tfpricing.EINTERNAL, "pricing: no policy given")
	}
	if err := tfpricing.Invalid(baseProblems(t, asOf, nil)); err != nil {
		return Quote{}, err
	}
	if t.Tier == catalog.Ineligible {
		return Quote{}, tfpricing.Errorf(tfpricing.EUNPROCESSABLE,
			"the borrower is not eligible under the transition catalogue")
	}
	if t.Facility.StartDate.Before(asOf) {
		return Quote{}, &tfpricing.Error{Code: tfpricing.EUNPROCESSABLE,
			Message: "a quoted loan cannot start before the quote's as_of date",
			Fields:  []tfpricing.FieldError{fieldErr("facility.start_date", "range", "must not be before as_of")}}
	}
	e, err := newEngine(t, p, c, nil, asOf)
	if err != nil {
		return Quote{}, err
	}
	project := func(pr Projection) Schedule {
		l := newLedger(t, p.Ratchet)
		l.record(t, nil, asOf)
		l.assume(t, Assumptions{Projection: pr})
		return e.schedule(l)
	}
	q := Quote{AsOf: asOf, Policy: p.Ref(), Current: project(Current), AllMet: project(AllMet),
		NoneMet: project(NoneMet), ValidUntil: asOf.AddDays(p.QuoteValidityDays)}
	q.Savings = q.NoneMet.TotalInterest.Sub(q.AllMet.TotalInterest)
	first := q.Current.Lines[0]
	q.Breakdown = Breakdown{
		BenchmarkName:       e.name,
		BenchmarkDate:       first.BenchmarkDate,
		BenchmarkRate:       first.BenchmarkRate,
		CreditSpreadBp:      e.margin.spread,
		TierAdjustmentBp:    e.margin.tier,
		ESGAdjustmentBp:     e.margin.esg,
		CarbonAdjustmentBp:  e.margin.carbon,
		RatchetAdjustmentBp: first.RatchetBp,
		TotalAdjustmentBp:   first.AdjustmentBp,
		FloorApplied:        first.FloorApplied,
		CapApplied:          first.CapApplied,
		AllInRate:           first.Rate,
	}
	return q, nil
}

// FormatRate writes a rate in percent with the 4 decimals the API uses.
func FormatRate(d decimal.Decimal) string { return stringFixed(d, 4) }

// FormatAmount writes a CNY amount with 2 decimals.
func FormatAmount(d decimal.Decimal) string { return stringFixed(d, 2) }

// FormatBp writes basis points in their shortest exact form ("-15",
// "2.5"): bp may be fractional, so a fixed scale would invent precision.
func FormatBp(d decimal.Decimal) string { return normDec(d) }
