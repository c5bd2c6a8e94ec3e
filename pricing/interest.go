package pricing

import (
	"math/bits"

	"github.com/shopspring/decimal"
)

// A period's interest, round2(opening × rate × days / 36000) (DESIGN.md
// §4.5), and its subsidy, round2(opening × rate_bp × days / 3600000), are
// the engine's only divisions: through decimal's Mul, Mul and DivRound
// (math/big, five allocations) they cost ≈ 0.9 µs each, 60 a standard
// quote. With the coefficients of opening and rate and the days small
// enough, the same exact value is an integer quotient and remainder in
// 64 bits, rounded half away from zero as DivRound rounds, and the result
// has DivRound's exponent, −2. Anything larger takes the decimal path.
// TestPeriodAmountMatchesDivRound compares the two on random values and at
// every tie.

// periodAmount is a.Mul(b).Mul(NewFromInt(days)).DivRound(NewFromInt(den), 2)
// for days ≥ 0 and den > 0.
func periodAmount(a, b decimal.Decimal, days, den int64) decimal.Decimal {
	if v, ok := periodAmountInt(a, b, days, den); ok {
		return v
	}
	return a.Mul(b).Mul(decimal.NewFromInt(days)).DivRound(decimal.NewFromInt(den), 2)
}

// periodAmountInt is periodAmount in 64-bit integers; ok is false when a
// coefficient or an intermediate value does not fit.
func periodAmountInt(a, b decimal.Decimal, days, den int64) (decimal.Decimal, bool) {
	if days < 0 || den <= 0 || a.NumDigits() > fastDigits || b.NumDigits() > fastDigits {
		return decimal.Decimal{}, false
	}
	x, y := a.CoefficientInt64(), b.CoefficientInt64()
	neg := (x < 0) != (y < 0)
	hi, n := bits.Mul64(absU64(x), absU64(y))
	if hi != 0 {
		return decimal.Decimal{}, false
	}
	if hi, n = bits.Mul64(n, uint64(days)); hi != 0 {
		return decimal.Decimal{}, false
	}
	// The exact value is n × 10^e / den in hundredths.
	e := int(a.Exponent()) + int(b.Exponent()) + 2
	d := uint64(den)
	switch {
	case e > fastDigits || -e > fastDigits:
		return decimal.Decimal{}, false
	case e >= 0:
		if hi, n = bits.Mul64(n, uint64(pow10Int64[e])); hi != 0 {
			return decimal.Decimal{}, false
		}
	default:
		if hi, d = bits.Mul64(d, uint64(pow10Int64[-e])); hi != 0 {
			return decimal.Decimal{}, false
		}
	}
	if d >= 1<<63 {
		return decimal.Decimal{}, false // 2 × the remainder must not overflow
	}
	q, r := n/d, n%d
	if 2*r >= d { // half or more: away from zero
		q++
	}
	if q >= 1<<63 {
		return decimal.Decimal{}, false
	}
	c := int64(q)
	if neg {
		c = -c
	}
	return decimal.New(c, -2), true
}

func absU64(v int64) uint64 {
	if v < 0 {
		return uint64(-v) // -MinInt64 wraps to 1<<63, its magnitude
	}
	return uint64(v)
}

// fenSum is a running total of a schedule's amounts, zeroFen.Add(a).Add(b)…:
// in an int64 of fen while every amount has exponent −2 (as periodAmount's
// and DivRound's do) and the sum fits, in decimals from the first one that
// does not. A decimal Add is two allocations; a quote adds 120 amounts.
type fenSum struct {
	fen   int64
	dec   decimal.Decimal
	inDec bool // the total is dec
}

func (s *fenSum) add(d decimal.Decimal) {
	if !s.inDec {
		if d.Exponent() == -2 && d.NumDigits() <= fastDigits {
			c := d.CoefficientInt64()
			if sum := s.fen + c; (c >= 0) == (sum >= s.fen) { // no overflow
				s.fen = sum
				return
			}
		}
		s.dec, s.inDec = decimal.New(s.fen, -2), true
	}
	s.dec = s.dec.Add(d)
}

// total is the sum, with the exponent the decimal sum has.
func (s *fenSum) total() decimal.Decimal {
	if s.inDec {
		return s.dec
	}
	return decimal.New(s.fen, -2)
}

// subAmount is a.Sub(b): in an int64 when both have the same exponent
// (amounts in fen do) and fit, with decimal's result, exponent included;
// decimal's Sub otherwise. A schedule line's closing principal and net
// interest are each one Sub, two allocations in math/big.
func subAmount(a, b decimal.Decimal) decimal.Decimal {
	if a.Exponent() == b.Exponent() && a.NumDigits() <= fastDigits && b.NumDigits() <= fastDigits {
		return decimal.New(a.CoefficientInt64()-b.CoefficientInt64(), a.Exponent()) // |each| < 10^18: no overflow
	}
	return a.Sub(b)
}
