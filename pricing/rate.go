package pricing

import (
	"fmt"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"tfpricing"
)

// margin holds the parts of the rate composition that do not change over a
// loan's life; only the benchmark B and the ratchet K vary by period.
type margin struct {
	spread      decimal.Decimal // S
	tier        decimal.Decimal // T
	esg         decimal.Decimal // E
	carbon      decimal.Decimal // C
	fixed       decimal.Decimal // T + E + C
	maxDiscount decimal.Decimal // -max_total_discount_bp
	floor       decimal.Decimal
	capOver     decimal.Decimal // cap_over_benchmark_bp / 100, in percent
}

// newMargin resolves S, T, E and C; a rating or tier the policy does not
// price is a business refusal, not bad input.
func newMargin(t Terms, p *Policy) (margin, error) {
	s, ok := p.CreditSpread(t.CreditRating)
	if !ok {
		ratings := p.Ratings()
		// Best rating first: the policy's order of spreads.
		sort.SliceStable(ratings, func(i, j int) bool {
			return p.CreditSpreadBp[ratings[i]].LessThan(p.CreditSpreadBp[ratings[j]])
		})
		allowed := strings.Join(ratings, ", ")
		return margin{}, &tfpricing.Error{Code: tfpricing.EUNPROCESSABLE,
			Message: fmt.Sprintf("credit rating %q is not priced under policy %s", t.CreditRating, p.Version),
			Fields: []tfpricing.FieldError{{Field: "borrower.credit_rating", Code: "not_priced",
				Message: "policy " + p.Version + " prices only: " + allowed}},
			Extensions: map[string]any{"allowed_credit_ratings": ratings}}
	}
	tier, ok := p.TierAdjustment(t.Tier)
	if !ok {
		return margin{}, tfpricing.Errorf(tfpricing.EUNPROCESSABLE,
			"tier %q is not priced under policy %s", t.Tier, p.Version)
	}
	m := margin{
		spread:      s,
		tier:        tier,
		esg:         p.ESGAdjustment(t.ESGScore),
		carbon:      p.CarbonAdjustment(t.CarbonGrade),
		maxDiscount: p.Limits.MaxTotalDiscountBp.Neg(),
		floor:       p.Limits.FloorRate,
		capOver:     p.Limits.CapOverBenchmarkBp.Shift(-2),
	}
	m.fixed = m.tier.Add(m.esg).Add(m.carbon)
	return m, nil
}

// composed is the rate of a period and how it was reached.
type composed struct {
	adjustment   decimal.Decimal // A after the total discount limit
	rate         decimal.Decimal
	floorApplied bool
	capApplied   bool
}

// compose applies DESIGN.md §4.4 in its order: A = T+E+C+K, limited to the
// total discount; B + (S+A)/100; the floor; then the cap, which therefore
// wins should a policy set the floor above it; and one rounding to 4
// decimals at the very end. Division by 100 is a decimal shift, so nothing
// before that rounding is inexact.
func (m *margin) compose(b, k decimal.Decimal) composed {
	if c, ok := m.composeInt(b, k); ok { // the same, in integers (rate_int.go)
		return c
	}
	return m.composeDec(b, k)
}

// composeDec is compose in decimals.
func (m *margin) composeDec(b, k decimal.Decimal) composed {
	a := m.fixed.Add(k)
	if a.LessThan(m.maxDiscount) {
		a = m.maxDiscount
	}
	c := composed{adjustment: a, rate: b.Add(m.spread.Add(a).Shift(-2))}
	if c.rate.LessThan(m.floor) {
		c.rate, c.floorApplied = m.floor, true
	}
	if ceiling := b.Add(m.capOver); c.rate.GreaterThan(ceiling) {
		c.rate, c.capApplied = ceiling, true
	}
	c.rate = c.rate.Round(4)
	return c
}

// clampK bounds the ratchet sum to [-max_step_down_bp, +max_step_up_bp].
func clampK(sum decimal.Decimal, r Ratchet) decimal.Decimal {
	if lo := r.MaxStepDownBp.Neg(); sum.LessThan(lo) {
		return lo
	}
	if sum.GreaterThan(r.MaxStepUpBp) {
		return r.MaxStepUpBp
	}
	return sum
}

// stepSizes returns each KPI's step down and step up: its own where it
// states them, else the policy's.
func stepSizes(t Terms, r Ratchet) (down, up []decimal.Decimal) {
	down = make([]decimal.Decimal, len(t.KPIs))
	up = make([]decimal.Decimal, len(t.KPIs))
	fillSteps(t, r, down, up)
	return down, up
}

// fillSteps is stepSizes into down and up, of len(t.KPIs) each.
func fillSteps(t Terms, r Ratchet, down, up []decimal.Decimal) {
	for i, k := range t.KPIs {
		down[i], up[i] = r.StepDownBp, r.StepUpBp
		if k.StepDownBp != nil {
			down[i] = *k.StepDownBp
		}
		if k.StepUpBp != nil {
			up[i] = *k.StepUpBp
		}
	}
}
