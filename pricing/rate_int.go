package pricing

import (
	"github.com/shopspring/decimal"

	"tfpricing/catalog"
)

// compose in 64-bit integers. compose is exact until its one rounding (a
// sum, a shift by two places, comparisons), so with every figure scaled
// to the smallest exponent among them it is integer addition and
// comparison, and Round(4) is a division rounding half away from zero —
// what decimal's Round does (it truncates to five places, adds five and
// floors). The results keep decimal's exponents: the adjustment that of
// T+E+C+K (or of the discount limit when that binds), the rate −4. Taken
// when every coefficient has at most fastDigits digits and every scaled
// value fits with room to spare; TestComposeIntMatchesDecimal compares it
// with the decimal path.

// maxComposeScaled bounds a scaled figure so that the sum of three cannot
// overflow.
const maxComposeScaled = 1 << 61

// scaled returns d's coefficient times 10^(d.Exponent()−e), e ≤ its
// exponent; ok is false if it does not fit.
func scaled(d decimal.Decimal, e int32) (int64, bool) {
	if d.NumDigits() > fastDigits {
		return 0, false
	}
	shift := d.Exponent() - e
	if shift < 0 || shift > fastDigits {
		return 0, false
	}
	c, p := d.CoefficientInt64(), pow10Int64[shift]
	if c > maxComposeScaled/p || c < -maxComposeScaled/p {
		return 0, false
	}
	return c * p, true
}

// composeInt is compose, ok false when a figure does not fit.
func (m *margin) composeInt(b, k decimal.Decimal) (composed, bool) {
	// a = T+E+C+K at its own exponent, as decimal's Add writes it.
	ea := min(m.fixed.Exponent(), k.Exponent())
	fixed, ok1 := scaled(m.fixed, ea)
	kk, ok2 := scaled(k, ea)
	if !ok1 || !ok2 {
		return composed{}, false
	}
	a := decimal.New(fixed+kk, ea)
	if a.LessThan(m.maxDiscount) {
		a = m.maxDiscount
	}
	// Everything in percent at one exponent e: bp are shifted by −2.
	e := min(b.Exponent(), m.spread.Exponent()-2, a.Exponent()-2, m.floor.Exponent(), m.capOver.Exponent(), -4)
	bs, ok1 := scaled(b, e)
	ss, ok2 := scaled(m.spread, e+2)
	as, ok3 := scaled(a, e+2)
	fs, ok4 := scaled(m.floor, e)
	cs, ok5 := scaled(m.capOver, e)
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 {
		return composed{}, false
	}
	c := composed{adjustment: a}
	rate := bs + ss + as
	if rate < fs {
		rate, c.floorApplied = fs, true
	}
	if ceiling := bs + cs; rate > ceiling {
		rate, c.capApplied = ceiling, true
	}
	// Round(4): half away from zero.
	if k := -4 - e; k > 0 {
		p := pow10Int64[k]
		q, r := rate/p, rate%p // truncated toward zero
		if r >= 0 && 2*r >= p {
			q++
		} else if r < 0 && -2*r >= p {
			q--
		}
		rate = q
	}
	c.rate = decimal.New(rate, -4)
	return c, true
}

// ratchetInt is ratchet in 64-bit integers: the sum of the steps at the
// exponent decimal's sum from decimal.Zero has (the least of 0 and the
// steps'), clamped as clampK clamps. The sum is made a decimal once per
// value: a loan's K takes few values over its periods. ok is false when a
// figure does not fit; TestRatchetIntMatchesDecimal compares it with the decimal path.
func (e *engine) ratchetInt(l *ledger, picks []pick, down, up []decimal.Decimal) (decimal.Decimal, bool) {
	r := e.policy.Ratchet
	step := func(i int, p pick) (decimal.Decimal, int64) {
		if l.spts[p.spt].dets[p.det].outcome == Met {
			return down[i], -1
		}
		return up[i], 1
	}
	exp, counted := int32(0), false
	for i, p := range picks {
		if p.ok {
			s, _ := step(i, p)
			exp, counted = min(exp, s.Exponent()), true
		}
	}
	if !counted { // clampK(decimal.Zero): the sum is decimal.Zero itself
		switch {
		case r.MaxStepDownBp.Sign() < 0:
			return r.MaxStepDownBp.Neg(), true
		case r.MaxStepUpBp.Sign() < 0:
			return r.MaxStepUpBp, true
		}
		return decimal.Zero, true
	}
	// The bounds at the sum's exponent or below: comparisons are exact.
	ce := min(exp, r.MaxStepDownBp.Exponent(), r.MaxStepUpBp.Exponent())
	var sum int64
	for i, p := range picks {
		if !p.ok {
			continue
		}
		s, sign := step(i, p)
		v, ok := scaled(s, ce)
		if !ok {
			return decimal.Decimal{}, false
		}
		sum += sign * v // |v| ≤ 2^61 and a loan has at most 3 KPIs in range
		if sum > maxComposeScaled || sum < -maxComposeScaled {
			return decimal.Decimal{}, false
		}
	}
	lo, ok1 := scaled(r.MaxStepDownBp, ce)
	hi, ok2 := scaled(r.MaxStepUpBp, ce)
	if !ok1 || !ok2 {
		return decimal.Decimal{}, false
	}
	switch {
	case sum < -lo:
		return r.MaxStepDownBp.Neg(), true
	case sum > hi:
		return r.MaxStepUpBp, true
	}
	coef := sum / pow10Int64[exp-ce] // exact: every step is a multiple of 10^(exp−ce)
	if !e.kSet || e.kCoef != coef || e.kExp != exp {
		e.k, e.kCoef, e.kExp, e.kSet = decimal.New(coef, exp), coef, exp, true
	}
	return e.k, true
}

// cmpDecimal is a.Cmp(b) without math/big when both scale to their
// smaller exponent in an int64 (Cmp multiplies one of them by a power of
// ten, an allocation, whenever the exponents differ: a KPI's value and
// its target, an amount and its bound). TestCmpDecimalMatchesCmp.
func cmpDecimal(a, b decimal.Decimal) int {
	e := min(a.Exponent(), b.Exponent())
	x, ok1 := scaled(a, e)
	y, ok2 := scaled(b, e)
	if !ok1 || !ok2 {
		return a.Cmp(b)
	}
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// atOrBetter is catalog.Direction.AtOrBetter(value, level) by cmpDecimal.
func atOrBetter(d catalog.Direction, value, level decimal.Decimal) bool {
	if d == catalog.HigherIsBetter {
		return cmpDecimal(value, level) >= 0
	}
	return cmpDecimal(value, level) <= 0
}
