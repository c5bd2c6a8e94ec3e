package pricing

import (
	"sort"
	"strconv"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/catalog"
	"tfpricing/pricing/canon"
)

// Policy is one version of the pricing policy document (DESIGN.md §4.1).
// It is immutable once parsed: decisions record its Version and Digest and
// replay re-parses the stored Canonical form, so nothing may change it.
type Policy struct {
	Version       string
	EffectiveFrom tfpricing.Date
	Benchmark     Benchmark
	// CreditSpreadBp is the spread S by credit rating; a rating absent here
	// is not priceable under this policy.
	CreditSpreadBp map[string]decimal.Decimal
	// TierAdjustmentBp is T by eligibility tier.
	TierAdjustmentBp map[catalog.Tier]decimal.Decimal
	// ESGBands give E; they are kept sorted by MinScore descending so the
	// first band a score reaches is the one that applies.
	ESGBands []ESGBand
	// CarbonGradeAdjustmentBp is C by carbon efficiency grade 1 (best) to 5.
	CarbonGradeAdjustmentBp map[int]decimal.Decimal
	Ratchet                 Ratchet
	Limits                  Limits
	QuoteValidityDays       int

	// Digest is "sha256:<hex>" over Canonical.
	Digest string
	// Canonical is the canonical JSON form of the document: sorted keys, no
	// insignificant whitespace, decimals as normalised strings. ParsePolicy
	// accepts it back and yields the same Digest.
	Canonical []byte
}

// Benchmark names the two LPR tenors and the tenor, in months, above which
// the long one applies.
type Benchmark struct {
	Short           string
	Long            string
	LongAboveMonths int
}

// ESGBand is one band of the ESG adjustment: scores at or above MinScore
// (and below the next band up) get Bp.
type ESGBand struct {
	MinScore int
	Bp       decimal.Decimal
}

// Ratchet holds the default step sizes of the KPI ratchet, its limits and
// the grace period after a calendar year in which an attestation is on time.
type Ratchet struct {
	StepDownBp    decimal.Decimal
	StepUpBp      decimal.Decimal
	MaxStepDownBp decimal.Decimal
	MaxStepUpBp   decimal.Decimal
	GraceDays     int
	// LateAttestation is ignore (the zero value reads as ignore) or cure.
	LateAttestation LateAttestation
}

// cures reports whether late attestations determine their year.
func (r Ratchet) cures() bool { return r.LateAttestation == LateCure }

// Limits bound the composed rate: the total discount of A, the absolute
// floor (percent) and the cap over the benchmark.
type Limits struct {
	MaxTotalDiscountBp decimal.Decimal
	FloorRate          decimal.Decimal
	CapOverBenchmarkBp decimal.Decimal
}

// PolicyRef identifies the policy version a decision used.
type PolicyRef struct {
	Version string
	Digest  string
}

// Ref returns the identifying reference of p.
func (p *Policy) Ref() PolicyRef { return PolicyRef{Version: p.Version, Digest: p.Digest} }

// CreditSpread returns S for a rating and whether the policy prices it.
func (p *Policy) CreditSpread(rating string) (decimal.Decimal, bool) {
	s, ok := p.CreditSpreadBp[rating]
	return s, ok
}

// Ratings returns the priceable ratings, sorted, for listings.
func (p *Policy) Ratings() []string {
	out := make([]string, 0, len(p.CreditSpreadBp))
	for r := range p.CreditSpreadBp {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}

// TierAdjustment returns T for a tier and whether the policy prices the
// tier (an ineligible borrower has none).
func (p *Policy) TierAdjustment(t catalog.Tier) (decimal.Decimal, bool) {
	a, ok := p.TierAdjustmentBp[t]
	return a, ok
}

// ESGAdjustment returns E: the bp of the first band, by MinScore descending,
// whose MinScore the score reaches; zero below every band.
func (p *Policy) ESGAdjustment(score int) decimal.Decimal {
	for _, b := range p.ESGBands {
		if score >= b.MinScore {
			return b.Bp
		}
	}
	return decimal.Zero
}

// CarbonAdjustment returns C for a carbon efficiency grade; a borrower
// without a grade (0) or with one the policy does not list gets zero.
func (p *Policy) CarbonAdjustment(grade int) decimal.Decimal {
	return p.CarbonGradeAdjustmentBp[grade]
}

// BenchmarkName returns the name of the benchmark a tenor uses.
func (p *Policy) BenchmarkName(tenorMonths int) string {
	if p.usesLong(tenorMonths) {
		return p.Benchmark.Long
	}
	return p.Benchmark.Short
}

func (p *Policy) usesLong(tenorMonths int) bool {
	return tenorMonths > p.Benchmark.LongAboveMonths
}

// canonicalForm is the policy as plain JSON values; encoding/json sorts map
// keys, which is what makes the encoding canonical.
func (p *Policy) canonicalForm() map[string]any {
	bands := make([]any, len(p.ESGBands))
	for i, b := range p.ESGBands {
		bands[i] = map[string]any{"min_score": b.MinScore, "bp": normDec(b.Bp)}
	}
	spreads := make(map[string]any, len(p.CreditSpreadBp))
	for k, v := range p.CreditSpreadBp {
		spreads[k] = normDec(v)
	}
	tiers := make(map[string]any, len(p.TierAdjustmentBp))
	for k, v := range p.TierAdjustmentBp {
		tiers[string(k)] = normDec(v)
	}
	grades := make(map[string]any, len(p.CarbonGradeAdjustmentBp))
	for k, v := range p.CarbonGradeAdjustmentBp {
		grades[strconv.Itoa(k)] = normDec(v)
	}
	return map[string]any{
		"version":        p.Version,
		"effective_from": p.EffectiveFrom.String(),
		"benchmark": map[string]any{
			"short": p.Benchmark.Short, "long": p.Benchmark.Long,
			"long_above_months": p.Benchmark.LongAboveMonths,
		},
		"credit_spread_bp":           spreads,
		"tier_adjustment_bp":         tiers,
		"esg_adjustment_bp":          bands,
		"carbon_grade_adjustment_bp": grades,
		"ratchet": canonicalLate(map[string]any{
			"step_down_bp": normDec(p.Ratchet.StepDownBp), "step_up_bp": normDec(p.Ratchet.StepUpBp),
			"max_step_down_bp": normDec(p.Ratchet.MaxStepDownBp),
			"max_step_up_bp":   normDec(p.Ratchet.MaxStepUpBp), "grace_days": p.Ratchet.GraceDays,
		}, p.Ratchet.LateAttestation),
		"limits": map[string]any{
			"max_total_discount_bp": normDec(p.Limits.MaxTotalDiscountBp),
			"floor_rate":            normDec(p.Limits.FloorRate),
			"cap_over_benchmark_bp": normDec(p.Limits.CapOverBenchmarkBp),
		},
		"quote_validity_days": p.QuoteValidityDays,
	}
}

// canonicalJSON encodes plain JSON values (maps, which encoding/json
// writes with sorted keys, slices, strings and integers) in canonical form.
func canonicalJSON(v any) []byte {
	b, _ := canon.Marshal(v) // plain values always encode
	return b
}

// normDec writes d in the normal form documents are digested in.
func normDec(d decimal.Decimal) string {
	return canon.TrimDecimal(stringFixed(d, max(0, -d.Exponent())))
}
