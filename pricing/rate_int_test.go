package pricing

import (
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

func randBp(r *rand.Rand) decimal.Decimal {
	switch r.IntN(6) {
	case 0:
		return decimal.New(r.Int64N(4001)-2000, -int32(r.IntN(3))) // -20.00 … 20.00 and whole
	case 1:
		return decimal.New(r.Int64N(2_000_001)-1_000_000, -int32(r.IntN(9))) // many decimals
	case 2:
		c, _ := new(big.Int).SetString("12345678901234567890123", 10)
		return decimal.NewFromBigInt(c, -20) // past int64
	case 3:
		return decimal.New(r.Int64N(11)*25-125, 0)
	}
	return decimal.New(r.Int64N(601)-300, -int32(r.IntN(2)))
}

// composeInt gives compose's decimals — adjustment and rate, value and
// exponent — and flags, on random margins, benchmarks and K, with the
// discount limit, the floor and the cap binding or not, and at the ties
// of the rounding to 4 decimals.
func TestComposeIntMatchesDecimal(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 11))
	ints, floors, caps, limits := 0, 0, 0, 0
	check := func(m margin, b, k decimal.Decimal) {
		t.Helper()
		want := m.composeDec(b, k)
		got, ok := m.composeInt(b, k)
		if !ok {
			return
		}
		ints++
		if got.floorApplied {
			floors++
		}
		if got.capApplied {
			caps++
		}
		if got.adjustment.Equal(m.maxDiscount) {
			limits++
		}
		if !sameDecimal(got.adjustment, want.adjustment) || !sameDecimal(got.rate, want.rate) ||
			got.floorApplied != want.floorApplied || got.capApplied != want.capApplied {
			t.Fatalf("b %s k %s margin %+v:\n int %s (exp %d) %s (exp %d) %v %v\n dec %s (exp %d) %s (exp %d) %v %v",
				b, k, m, got.adjustment, got.adjustment.Exponent(), got.rate, got.rate.Exponent(), got.floorApplied, got.capApplied,
				want.adjustment, want.adjustment.Exponent(), want.rate, want.rate.Exponent(), want.floorApplied, want.capApplied)
		}
	}
	for range 100000 {
		m := margin{spread: randBp(r), fixed: randBp(r), maxDiscount: randBp(r).Neg().Abs().Neg(),
			floor: decimal.New(r.Int64N(500), -int32(r.IntN(4))), capOver: decimal.New(r.Int64N(400), -int32(r.IntN(5)))}
		b := decimal.New(r.Int64N(60000), -int32(r.IntN(6)))
		check(m, b, randBp(r))
	}
	// Ties: b + (S+A)/100 with a fifth decimal of exactly 5, either sign,
	// and one unit either side of it.
	for _, v := range []int64{385005, 385004, 385006, -385005, -385004, -385006, 5, -5, 15, -15} {
		m := margin{spread: decimal.Zero, fixed: decimal.Zero, maxDiscount: decimal.New(-1, 6),
			floor: decimal.New(-1, 6), capOver: decimal.New(1, 6)}
		check(m, decimal.New(v, -5), decimal.Zero)
		got, _ := m.composeInt(decimal.New(v, -5), decimal.Zero)
		want := decimal.New(v, -5).Round(4)
		if !sameDecimal(got.rate, want) {
			t.Errorf("%d e-5 rounds to %s, want %s", v, got.rate, want)
		}
	}
	// The rate exactly at the floor or at the cap: neither applies.
	at := margin{spread: decimal.New(50, 0), fixed: decimal.New(-25, 0), maxDiscount: decimal.New(-100, 0),
		floor: decimal.New(410, -2), capOver: decimal.New(25, -2)}
	check(at, decimal.New(385, -2), decimal.Zero) // 3.85 + 0.25 = 4.10 = the floor = the cap
	if got, ok := at.composeInt(decimal.New(385, -2), decimal.Zero); !ok || got.floorApplied || got.capApplied ||
		got.rate.String() != "4.1" {
		t.Errorf("rate at the floor and the cap: %s, floor %v, cap %v", got.rate, got.floorApplied, got.capApplied)
	}
	if ints < 50000 || floors == 0 || caps == 0 || limits == 0 {
		t.Errorf("integer path %d, floor %d, cap %d, limit %d times: the draws miss a branch", ints, floors, caps, limits)
	}
}
