package api

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// plainDecimal's int64 path must give what NewFromString gives (the same
// coefficient and exponent, the same big.Int inside) and refuse what the
// old pair (NewFromString, canon.IsPlainDecimal) refused.
func TestPlainDecimalFast(t *testing.T) {
	check := func(s string) {
		t.Helper()
		got, ok := plainDecimal(s)
		want, wantOK := plainDecimalSlow(s)
		if isPlainDecimal(s) != wantOK {
			t.Fatalf("isPlainDecimal(%q) = %v, want %v", s, !wantOK, wantOK)
		}
		if ok != wantOK || ok && !reflect.DeepEqual(got, want) {
			t.Fatalf("plainDecimal(%q) = %v %v (exp %d), NewFromString: %v %v (exp %d)",
				s, got, ok, got.Exponent(), want, wantOK, want.Exponent())
		}
	}
	for _, s := range []string{"0", "-0", "00", "0.0", "-0.000", "88", "88.5", "1.6", "-1.6", "100", "7.50",
		"123456789012345678", "-123456789012345678", "12345678901234567.8", "0.12345678901234567",
		"1234567890123456789", "-1234567890123456789", "999999999999999999", "9999999999999999999",
		"1.", ".5", "-", "-.5", "--1", "+1", "1e5", "1E5", "1.2.3", "", " 1", "1 ", "1,5", "１",
		"\u22121", "0x10", strings.Repeat("9", 40), strings.Repeat("9", 41), "-" + strings.Repeat("1", 39),
		"1." + strings.Repeat("0", 38), "1." + strings.Repeat("0", 39)} {
		check(s)
	}
	rng := rand.New(rand.NewPCG(18, 13))
	alphabet := "0123456789-.e+ "
	for range 100000 {
		b := make([]byte, 1+rng.IntN(22))
		for i := range b {
			if rng.IntN(4) == 0 {
				b[i] = alphabet[rng.IntN(len(alphabet))]
			} else {
				b[i] = '0' + byte(rng.IntN(10))
			}
		}
		check(string(b))
	}
}
