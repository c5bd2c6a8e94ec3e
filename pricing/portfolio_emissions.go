package pricing

import (
	"github.com/shopspring/decimal"
)

// FinancedEmissions is the book's financed emissions for one year, by
// industry (IndustryCode "" is the whole book). Attributed sums the loans
// with an attestation for the year; Missing counts the loans without one,
// which are left out of every figure rather than estimated. Intensity is
// tCO2e per 万元 (10,000 CNY) outstanding of the loans with data, rounded
// half away from zero to 6 decimals; DataQuality is the PCAF score
// weighted by that outstanding, 2 decimals. Both are zero without data.
type FinancedEmissions struct {
	IndustryCode        string
	Loans, Missing      int
	Attributed          decimal.Decimal // tCO2e
	OutstandingWithData decimal.Decimal
	Intensity           decimal.Decimal
	DataQuality         decimal.Decimal
	qualitySum          decimal.Decimal
}

var wan = decimal.NewFromInt(10000)

func (f *FinancedEmissions) add(out decimal.Decimal, e *LoanEmissions) {
	f.Loans++
	if e == nil || e.Missing {
		f.Missing++
		return
	}
	f.Attributed = f.Attributed.Add(e.Attributed)
	f.OutstandingWithData = f.OutstandingWithData.Add(out)
	f.qualitySum = f.qualitySum.Add(out.Mul(decimal.NewFromInt(int64(e.DataQuality))))
}

func (f FinancedEmissions) finish() FinancedEmissions {
	f.Intensity, f.DataQuality = decimal.New(0, -6), decimal.New(0, -2)
	if f.OutstandingWithData.IsPositive() {
		f.Intensity = f.Attributed.Mul(wan).DivRound(f.OutstandingWithData, 6)
		f.DataQuality = f.qualitySum.DivRound(f.OutstandingWithData, 2)
	}
	f.qualitySum = decimal.Decimal{}
	return f
}

// addEmissions counts one active loan's financed emissions.
func (b *PortfolioBuilder) addEmissions(l PortfolioLoan, out decimal.Decimal) {
	if b.emissions == nil {
		b.emissions = map[string]*FinancedEmissions{"": {}}
	}
	b.emissions[""].add(out, l.Emissions)
	g := b.emissions[l.IndustryCode]
	if g == nil {
		g = &FinancedEmissions{IndustryCode: l.IndustryCode}
		b.emissions[l.IndustryCode] = g
	}
	g.add(out, l.Emissions)
}

// emissionsResult returns the book's total and the industries in code order.
func (b *PortfolioBuilder) emissionsResult() (FinancedEmissions, []FinancedEmissions) {
	if b.emissions == nil {
		return FinancedEmissions{}.finish(), nil
	}
	var by []FinancedEmissions
	for _, k := range sortedKeys(b.emissions) {
		if k != "" {
			by = append(by, b.emissions[k].finish())
		}
	}
	return b.emissions[""].finish(), by
}
