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

// AppendNormal is NormalString (FormatBp) appended, the trimming's edges
// included: "0.0", "100.00", "-1.0", "1050e-3", integers, big values.
func TestAppendNormalMatchesNormalString(t *testing.T) {
	ds := []decimal.Decimal{decimal.New(0, -3), decimal.New(100, -2), decimal.New(1050, -3), decimal.New(-10, -1),
		decimal.New(5, 2), decimal.New(0, 0), decimal.New(-25, -1), decimal.RequireFromString("-123456789012345678901234.5600")}
	rng := rand.New(rand.NewPCG(18, 10))
	for range 50000 {
		ds = append(ds, decimal.New(rng.Int64N(2_000_000)-1_000_000, int32(rng.IntN(14))-10))
	}
	for _, d := range ds {
		if got, want := string(AppendNormal([]byte("x"), d)), "x"+NormalString(d); got != want {
			t.Fatalf("AppendNormal(%s) = %s, want %s", d, got, want)
		}
	}
}
