package pricing

import (
	"fmt"

	"github.com/shopspring/decimal"

	"tfpricing"
)

// Financed emissions (issue 17): a verifier attests a borrower's emissions
// for a year; each loan is attributed its share as in the PCAF standard.
//
// Decisions stated once here:
//
//   - Attribution: outstanding ÷ (equity + debt, or EVIC) × (scope 1 +
//     scope 2), in tCO2e, rounded half away from zero to 3 decimals (kg)
//     once, at the end. The outstanding is the loan's principal outstanding
//     on the date the view is taken.
//   - PCAF data quality by source: verified (third-party verified reported
//     emissions) 1; reported (unverified, the borrower's own) 2; estimated
//     (from physical activity and emission factors) 4. Scores 3 and 5 are
//     not produced: the service has no activity data or sector averages of
//     its own.
//   - The year's figures are the borrower's latest attestation for it (a
//     later one corrects an earlier).
//   - Reduction against the plan's baseline: the borrower's scope 1 + 2 in
//     the loan's baseline year (its first KPI's), less this year's, as a
//     percentage of the baseline, 2 decimals; absent when either year has no
//     attestation. Nothing is ever estimated to fill a gap.

// EmissionsSource is where a borrower's emissions figures come from.
type EmissionsSource string

// The sources of emissions figures.
const (
	SourceVerified  EmissionsSource = "verified"
	SourceReported  EmissionsSource = "reported"
	SourceEstimated EmissionsSource = "estimated"
)

// DataQuality is the PCAF score (1 best to 5) of a source; 0 for an unknown one.
func (s EmissionsSource) DataQuality() int {
	switch s {
	case SourceVerified:
		return 1
	case SourceReported:
		return 2
	case SourceEstimated:
		return 4
	}
	return 0
}

// Emissions is one attestation of a borrower's emissions for a year.
type Emissions struct {
	ID                    string // "E-00000001"
	Seq                   uint64
	USCC                  string
	Year                  int
	Scope1, Scope2        decimal.Decimal // tCO2e
	Output                decimal.Decimal
	OutputUnit            string
	EquityPlusDebt        decimal.Decimal // CNY; EVIC when EVIC is set
	EVIC                  bool
	Source                EmissionsSource
	VerifierName          string
	VerifierAccreditation string
	EvidenceSHA256        string
	AcceptedOn            tfpricing.Date
	IdempotencyKey        string
	RequestHash           string
}

// Validate lists every bad field, named as the request names them.
func (e Emissions) Validate() error {
	var fs []tfpricing.FieldError
	add := func(field, code, msg string) {
		fs = append(fs, tfpricing.FieldError{Field: field, Code: code, Message: msg})
	}
	if e.Year < 2000 || e.Year > 2100 {
		add("year", "range", "must be from 2000 to 2100")
	}
	for _, d := range []struct {
		name string
		v    decimal.Decimal
	}{{"scope1_tco2e", e.Scope1}, {"scope2_tco2e", e.Scope2}, {"output", e.Output}} {
		if d.v.IsNegative() || d.v.Exponent() < -6 || !d.v.LessThan(maxAmount) {
			add(d.name, "range", "must be a decimal from 0, below 10^15, at most 6 decimals")
		}
	}
	if !e.EquityPlusDebt.IsPositive() || e.EquityPlusDebt.Exponent() < -2 || !e.EquityPlusDebt.LessThan(maxAmount) {
		add("equity_plus_debt", "range", "must be a positive amount below 10^15 with at most 2 decimals")
	}
	if e.Source.DataQuality() == 0 {
		add("source", "oneof", fmt.Sprintf("must be %s, %s or %s", SourceVerified, SourceReported, SourceEstimated))
	}
	return tfpricing.Invalid(fs)
}

// Total is scope 1 + scope 2.
func (e Emissions) Total() decimal.Decimal { return e.Scope1.Add(e.Scope2) }

// LatestFor returns the latest attestation for year among es (arrival
// order), or false.
func LatestFor(es []Emissions, year int) (Emissions, bool) {
	for i := len(es) - 1; i >= 0; i-- {
		if es[i].Year == year {
			return es[i], true
		}
	}
	return Emissions{}, false
}

// LoanEmissions is a loan's financed emissions for a year. Missing says
// the borrower has no attestation for the year (every figure is then
// zero and must be shown as missing); ReductionKnown is false when the
// baseline year has none.
type LoanEmissions struct {
	Year           int
	Missing        bool
	Attributed     decimal.Decimal // tCO2e, 3 decimals
	DataQuality    int
	ReductionPct   decimal.Decimal // 2 decimals
	ReductionKnown bool
}

var dec100 = decimal.NewFromInt(100)

// AttributeEmissions computes a loan's financed emissions for year from
// its borrower's attestations.
func AttributeEmissions(outstanding decimal.Decimal, es []Emissions, year, baselineYear int) LoanEmissions {
	cur, ok := LatestFor(es, year)
	if !ok {
		return LoanEmissions{Year: year, Missing: true}
	}
	out := LoanEmissions{Year: year, DataQuality: cur.Source.DataQuality(),
		Attributed: outstanding.Mul(cur.Total()).DivRound(cur.EquityPlusDebt, 3)}
	if base, ok := LatestFor(es, baselineYear); ok && base.Total().IsPositive() {
		out.ReductionKnown = true
		out.ReductionPct = base.Total().Sub(cur.Total()).Mul(dec100).DivRound(base.Total(), 2)
	}
	return out
}
