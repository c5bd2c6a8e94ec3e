package pricing

import (
	"github.com/shopspring/decimal"

	"tfpricing"
)

// PortfolioLoan is what the book-level view needs of one loan: how it is
// classified and its schedule as of the portfolio's date under the three
// projections of DESIGN.md §4.5 (Current is the recorded state).
type PortfolioLoan struct {
	LoanID        string
	IndustryCode  string
	PathwayID     string
	Tier          string
	CreditRating  string
	PolicyVersion string
	Amount        decimal.Decimal
	Current       Schedule
	AllMet        Schedule
	NoneMet       Schedule
	// Emissions is the loan's financed emissions for the options'
	// EmissionsYear, from its outstanding on AsOf (AttributeEmissions);
	// nil when not asked for.
	Emissions *LoanEmissions
}

// PortfolioOptions parameterise the view: the date it is taken on and the
// window, in days from AsOf inclusive, of the SPT deadlines listed.
type PortfolioOptions struct {
	AsOf          tfpricing.Date
	DueWithinDays int
	// EmissionsYear is the year of the financed emissions reported.
	EmissionsYear int
}

// Outstanding is the principal a schedule has not yet repaid on d: the
// opening principal of the first period ending after d (principal is paid
// at a period's end), zero once every period has ended. A loan whose first
// period has not started is outstanding in full.
func Outstanding(s Schedule, d tfpricing.Date) decimal.Decimal {
	for _, l := range s.Lines {
		if l.End.After(d) {
			return l.OpeningPrincipal
		}
	}
	return zeroFen
}

// lineInForce is the period whose rate applies on d: the first period
// ending after d (so a period's end date belongs to the next period, as
// interest accrues [start, end)); ok is false once every period has ended.
func lineInForce(s Schedule, d tfpricing.Date) (Line, bool) {
	for _, l := range s.Lines {
		if l.End.After(d) {
			return l, true
		}
	}
	return Line{}, false
}

// Income is projected interest: the gross interest (before any subsidy) of
// the periods whose payment date (end) falls in the window. Next12Months is
// (AsOf, AsOf + 12 months]; ToMaturity is every period ending after AsOf.
// A period straddling AsOf counts in full: its interest is paid on its end
// date, which is still to come.
type Income struct {
	Next12Months decimal.Decimal
	ToMaturity   decimal.Decimal
}

func incomeOf(s Schedule, asOf tfpricing.Date) Income {
	in := Income{Next12Months: zeroFen, ToMaturity: zeroFen}
	horizon := asOf.AddMonths(12)
	for _, l := range s.Lines {
		if !l.End.After(asOf) {
			continue
		}
		in.ToMaturity = in.ToMaturity.Add(l.Interest)
		if !l.End.After(horizon) {
			in.Next12Months = in.Next12Months.Add(l.Interest)
		}
	}
	return in
}

func (in Income) add(o Income) Income {
	return Income{Next12Months: in.Next12Months.Add(o.Next12Months), ToMaturity: in.ToMaturity.Add(o.ToMaturity)}
}
