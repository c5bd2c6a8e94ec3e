package pricing

import (
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

// TestStringFixedMatchesDecimal checks the integer fast path against the
// library's StringFixed on the values that matter (hand-picked edges) and
// on random coefficients and exponents either side of the fast path's
// bounds: any difference would change a stored record's bytes.
func TestStringFixedMatchesDecimal(t *testing.T) {
	edges := []string{"0", "-0", "0.00", "1", "-1", "3.85", "3.8500", "3.850000", "-15", "2.5", "0.0001",
		"-0.005", "0.005", "491944.44", "30000000", "3069861.11", "99999999999999999", "999999999999999999",
		"-999999999999999999", "1000000000000000000", "123456789012345678901234567890.12", "1e3", "-7e-20",
		"0.00000000000000000001", "12.345", "-12.345", "1.23450000000000000000"}
	places := []int32{0, 1, 2, 4, 6, 18, 19, 25}
	check := func(d decimal.Decimal, p int32) {
		t.Helper()
		if got, want := stringFixed(d, p), d.StringFixed(p); got != want {
			t.Fatalf("stringFixed(%s (coef %s exp %d), %d) = %q, StringFixed = %q", d, d.Coefficient(), d.Exponent(), p, got, want)
		}
	}
	for _, s := range edges {
		d := decimal.RequireFromString(s)
		for _, p := range places {
			check(d, p)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		var coef big.Int
		switch rng.IntN(3) {
		case 0:
			coef.SetInt64(rng.Int64N(10000) - 5000)
		case 1:
			coef.SetInt64(rng.Int64() - rng.Int64())
		default:
			coef.Mul(big.NewInt(rng.Int64()), big.NewInt(rng.Int64N(1000)+1))
		}
		d := decimal.NewFromBigInt(&coef, int32(rng.IntN(30))-22)
		check(d, places[rng.IntN(len(places))])
	}
}

// TestNormDecShortestForm pins normDec on hand-worked values: no exponent,
// no trailing fractional zeros, and the sign kept.
func TestNormDecShortestForm(t *testing.T) {
	for in, want := range map[string]string{"3.8500": "3.85", "-15.0": "-15", "2.50": "2.5", "0.000": "0",
		"1e3": "1000", "-0.0100": "-0.01", "12345678901234567890.10": "12345678901234567890.1"} {
		if got := normDec(decimal.RequireFromString(in)); got != want {
			t.Errorf("normDec(%s) = %q, want %q", in, got, want)
		}
	}
}
