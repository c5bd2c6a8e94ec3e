package catalog

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

// decString must write exactly what Decimal.String writes: random
// coefficients (zero, ±1-digit to 19-digit, int64's limits, values past
// int64 that take the fallback) at exponents −25…+3, and the values a
// plan's strings parse to (trailing zeros, leading zeros after the point).
func TestDecStringMatchesString(t *testing.T) {
	rng := rand.New(rand.NewPCG(18, 12))
	check := func(d decimal.Decimal) {
		t.Helper()
		if got, want := decString(d), d.String(); got != want {
			t.Fatalf("decString(%v × 10^%d) = %q, String() = %q", d.Coefficient(), d.Exponent(), got, want)
		}
	}
	limits := []int64{0, 1, -1, 9, 10, -10, 100, 1<<63 - 1, -1 << 63, -(1<<63 - 1)}
	for _, c := range limits {
		for exp := int32(-25); exp <= 3; exp++ {
			check(decimal.New(c, exp))
		}
	}
	past := new(big.Int).Lsh(big.NewInt(1), 63) // one past int64
	for exp := int32(-25); exp <= 3; exp++ {
		check(decimal.NewFromBigInt(past, exp))
		check(decimal.NewFromBigInt(new(big.Int).Neg(past), exp))
	}
	for range 50000 {
		digits := 1 + rng.IntN(19)
		c := rng.Int64N(pow10(digits))
		if rng.IntN(2) == 0 {
			c = -c
		}
		if rng.IntN(4) == 0 {
			c *= pow10(rng.IntN(3)) // trailing zeros in the coefficient
		}
		check(decimal.New(c, int32(-25+rng.IntN(29))))
	}
	for _, s := range []string{"88", "82.0", "76.50", "0.05", "-0.050", "0.000", "1000", "-12.3400", "0.0001"} {
		check(decimal.RequireFromString(s))
	}
}

func pow10(n int) int64 {
	p := int64(1)
	for range n {
		if p > (1<<63-1)/10 {
			return 1<<63 - 1
		}
		p *= 10
	}
	return p
}

func TestPathsMatchSprintf(t *testing.T) {
	for _, i := range []int{-1, 0, 1, 9, 10, 19, 20, 21, 99, 100, 12345} {
		if got, want := kpiPath(i), fmt.Sprintf("kpis[%d]", i); got != want {
			t.Errorf("kpiPath(%d) = %q, want %q", i, got, want)
		}
		if got, want := targetPath("kpis[3]", i), fmt.Sprintf("%s.targets[%d]", "kpis[3]", i); got != want {
			t.Errorf("targetPath(%d) = %q, want %q", i, got, want)
		}
	}
}
