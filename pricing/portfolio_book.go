package pricing

import (
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"tfpricing"
)

// Group is the loans of one value of a classification and their principal
// outstanding on the portfolio's date.
type Group struct {
	Key         string
	Loans       int
	Outstanding decimal.Decimal
}

// KPIYear counts the SPTs of one year by outcome as of the portfolio's
// date. Late and Corrected count SPTs whose determination came from a late
// attestation or from a correction; such an SPT is also counted under its
// outcome, so Late and Corrected overlap the four outcome counts.
type KPIYear struct {
	Year                              int
	Met, Missed, Pending, NotReported int
	Late, Corrected                   int
}

// Deadline is an SPT still pending whose due date falls in the window, with
// the loans that owe it, in id order.
type Deadline struct {
	DueDate  tfpricing.Date
	MetricID string
	Year     int
	LoanIDs  []string
}

// Portfolio is the book as a whole on AsOf. Only loans with principal
// outstanding count (Loans); matured ones are counted apart.
//
// Rounding: sums of money are exact (every amount has two decimals). The
// weighted averages are Σ(outstanding × x) ÷ Σ outstanding, rounded half up
// once at the end, half away from zero (decimal DivRound): the all-in rate to 4 decimals (percent, as a rate is
// quoted), the ratchet adjustment to 2 decimals of a bp. They are zero for
// an empty book.
type Portfolio struct {
	AsOf              tfpricing.Date
	DueWithinDays     int
	Loans             int
	Matured           int
	Outstanding       decimal.Decimal
	ByIndustry        []Group
	ByPathway         []Group
	ByTier            []Group
	ByRating          []Group
	ByPolicy          []Group
	KPIStatus         []KPIYear
	WeightedRate      decimal.Decimal
	WeightedRatchetBp decimal.Decimal
	Deadlines         []Deadline
	Income            map[Projection]Income // Current, AllMet, NoneMet
	EmissionsYear     int
	Emissions         FinancedEmissions
	EmissionsBy       []FinancedEmissions
}

// PortfolioBuilder accumulates a portfolio one loan at a time, so that a
// book of any size is read once and never held: what it keeps grows with
// the number of groups and of pending deadlines in the window, not loans.
type PortfolioBuilder struct {
	opt                 PortfolioOptions
	p                   Portfolio
	groups              [5]map[string]*Group
	years               map[int]*KPIYear
	deadlines           map[string]*Deadline
	rateSum, ratchetSum decimal.Decimal
	emissions           map[string]*FinancedEmissions
}

// NewPortfolioBuilder starts an empty portfolio.
func NewPortfolioBuilder(opt PortfolioOptions) *PortfolioBuilder {
	b := &PortfolioBuilder{opt: opt, years: map[int]*KPIYear{}, deadlines: map[string]*Deadline{}}
	for i := range b.groups {
		b.groups[i] = map[string]*Group{}
	}
	b.p = Portfolio{AsOf: opt.AsOf, DueWithinDays: opt.DueWithinDays, Outstanding: zeroFen,
		Income: map[Projection]Income{}}
	for _, pr := range []Projection{Current, AllMet, NoneMet} {
		b.p.Income[pr] = Income{Next12Months: zeroFen, ToMaturity: zeroFen}
	}
	return b
}

// Add counts one loan.
func (b *PortfolioBuilder) Add(l PortfolioLoan) {
	out := Outstanding(l.Current, b.opt.AsOf)
	line, ok := lineInForce(l.Current, b.opt.AsOf)
	if !ok || !out.IsPositive() {
		b.p.Matured++
		return
	}
	b.p.Loans++
	b.p.Outstanding = b.p.Outstanding.Add(out)
	for i, key := range []string{l.IndustryCode, l.PathwayID, l.Tier, l.CreditRating, l.PolicyVersion} {
		g := b.groups[i][key]
		if g == nil {
			g = &Group{Key: key, Outstanding: zeroFen}
			b.groups[i][key] = g
		}
		g.Loans++
		g.Outstanding = g.Outstanding.Add(out)
	}
	b.rateSum = b.rateSum.Add(out.Mul(line.Rate))
	b.ratchetSum = b.ratchetSum.Add(out.Mul(line.RatchetBp))
	b.countKPIs(l)
	b.addEmissions(l, out)
	b.p.Income[Current] = b.p.Income[Current].add(incomeOf(l.Current, b.opt.AsOf))
	b.p.Income[AllMet] = b.p.Income[AllMet].add(incomeOf(l.AllMet, b.opt.AsOf))
	b.p.Income[NoneMet] = b.p.Income[NoneMet].add(incomeOf(l.NoneMet, b.opt.AsOf))
}

func (b *PortfolioBuilder) countKPIs(l PortfolioLoan) {
	timeliness := make(map[string]Timeliness, len(l.Current.Attestations))
	for _, a := range l.Current.Attestations {
		timeliness[a.ID] = a.Status
	}
	last := b.opt.AsOf.AddDays(b.opt.DueWithinDays)
	for _, s := range l.Current.SPTs {
		y := b.years[s.Year]
		if y == nil {
			y = &KPIYear{Year: s.Year}
			b.years[s.Year] = y
		}
		switch s.Outcome {
		case Met:
			y.Met++
		case Missed:
			y.Missed++
		case NotReported:
			y.NotReported++
		default:
			y.Pending++
		}
		switch timeliness[s.AttestationID] {
		case Late:
			y.Late++
		case Correction:
			y.Corrected++
		}
		if s.Outcome == Pending && !s.DueDate.Before(b.opt.AsOf) && !s.DueDate.After(last) {
			key := s.DueDate.String() + "\x00" + s.MetricID + "\x00" + decimal.NewFromInt(int64(s.Year)).String()
			d := b.deadlines[key]
			if d == nil {
				d = &Deadline{DueDate: s.DueDate, MetricID: s.MetricID, Year: s.Year}
				b.deadlines[key] = d
			}
			d.LoanIDs = append(d.LoanIDs, l.LoanID)
		}
	}
}

// Result returns the portfolio of the loans added so far, every list in a
// fixed order: groups by key, years ascending, deadlines by due date, metric
// and year, each deadline's loans by id.
func (b *PortfolioBuilder) Result() Portfolio {
	p := b.p
	lists := []*[]Group{&p.ByIndustry, &p.ByPathway, &p.ByTier, &p.ByRating, &p.ByPolicy}
	for i, m := range b.groups {
		gs := make([]Group, 0, len(m))
		for _, k := range sortedKeys(m) {
			gs = append(gs, *m[k])
		}
		*lists[i] = gs
	}
	for _, y := range sortedKeys(b.years) {
		p.KPIStatus = append(p.KPIStatus, *b.years[y])
	}
	for _, k := range sortedKeys(b.deadlines) {
		d := *b.deadlines[k]
		d.LoanIDs = slices.Clone(d.LoanIDs)
		slices.SortFunc(d.LoanIDs, strings.Compare)
		p.Deadlines = append(p.Deadlines, d)
	}
	p.EmissionsYear = b.opt.EmissionsYear
	p.Emissions, p.EmissionsBy = b.emissionsResult()
	p.WeightedRate, p.WeightedRatchetBp = decimal.New(0, -4), decimal.New(0, -2)
	if p.Outstanding.IsPositive() {
		p.WeightedRate = b.rateSum.DivRound(p.Outstanding, 4)
		p.WeightedRatchetBp = b.ratchetSum.DivRound(p.Outstanding, 2)
	}
	return p
}
