package pricing

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

func divRoundPath(a, b decimal.Decimal, days, den int64) decimal.Decimal {
	return a.Mul(b).Mul(decimal.NewFromInt(days)).DivRound(decimal.NewFromInt(den), 2)
}

// sameDecimal is the same value with the same exponent: what is stored and
// formatted cannot tell them apart.
func sameDecimal(x, y decimal.Decimal) bool {
	return x.Exponent() == y.Exponent() && x.Coefficient().Cmp(y.Coefficient()) == 0
}

// The integer path gives DivRound's value and exponent on random openings,
// rates and days, and at the ties either side of half a fen.
func TestPeriodAmountMatchesDivRound(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 7))
	fast := 0
	check := func(a, b decimal.Decimal, days, den int64) {
		t.Helper()
		want := divRoundPath(a, b, days, den)
		if v, ok := periodAmountInt(a, b, days, den); ok {
			fast++
			if !sameDecimal(v, want) {
				t.Fatalf("%s × %s × %d / %d: integer path %s (exp %d), DivRound %s (exp %d)",
					a, b, days, den, v, v.Exponent(), want, want.Exponent())
			}
		}
		if got := periodAmount(a, b, days, den); !sameDecimal(got, want) {
			t.Fatalf("%s × %s × %d / %d = %s, want %s", a, b, days, den, got, want)
		}
	}
	for range 200000 {
		a := decimal.New(r.Int64N(1_000_000_000_000), -int32(r.IntN(5))+1) // to 10^12 fen and beyond
		if r.IntN(8) == 0 {
			a = a.Neg()
		}
		b := decimal.New(r.Int64N(200_000)-10_000, -int32(r.IntN(8))) // rates and bp, some negative
		if r.IntN(16) == 0 {
			b = decimal.New(r.Int64N(math.MaxInt64), int32(r.IntN(30))-20)
		}
		check(a, b, int64(r.IntN(400)), []int64{36000, 3600000}[r.IntN(2)])
	}
	// Ties: 1 × 1 × 180 / 36000 = 0.005 exactly, which rounds up; 179 and
	// 181 days either side of it; negative ties round down (away from 0).
	for _, c := range []struct {
		a, b decimal.Decimal
		days int64
		want string
	}{
		{decimal.New(1, 0), decimal.New(1, 0), 180, "0.01"},
		{decimal.New(1, 0), decimal.New(1, 0), 179, "0"},
		{decimal.New(-1, 0), decimal.New(1, 0), 180, "-0.01"},
		{decimal.New(1, 0), decimal.New(-1, 0), 179, "0"},
		{decimal.New(25, -2), decimal.New(1, 0), 720, "0.01"}, // 0.005 with decimals on both sides
		{decimal.New(10000000000, -2), decimal.New(38500, -4), 92, "983888.89"},
		{decimal.New(0, -2), decimal.New(38500, -4), 92, "0"},
	} {
		v, ok := periodAmountInt(c.a, c.b, c.days, 36000)
		if !ok || v.String() != c.want || v.Exponent() != -2 {
			t.Errorf("%s × %s × %d / 36000 = %s (ok %v), want %s", c.a, c.b, c.days, v, ok, c.want)
		}
		check(c.a, c.b, c.days, 36000)
	}
	// Past 64 bits: the decimal path, the same result.
	big1, _ := new(big.Int).SetString("123456789012345678901234", 10)
	for _, a := range []decimal.Decimal{decimal.NewFromBigInt(big1, -2), decimal.New(math.MaxInt64, 0), decimal.New(math.MinInt64, 0),
		decimal.New(999_999_999_999_999_999, -2), decimal.New(4_000_000_000, 0)} {
		if _, ok := periodAmountInt(a, decimal.New(math.MaxInt32, -4), 366, 36000); ok && a.NumDigits() > fastDigits {
			t.Errorf("%s took the integer path", a)
		}
		check(a, decimal.New(38500, -4), 366, 36000)
		check(a, decimal.New(math.MaxInt32, -4), 366, 36000)
	}
	// A divisor of 2^63 or more would overflow twice the remainder: 0.95
	// of a hundredth must round to one, not wrap to none.
	check(decimal.New(950_000_000_000_000_000, -1), decimal.New(10, -2), 1, 1_000_000_000_000_000_000)
	if v := periodAmount(decimal.New(950_000_000_000_000_000, -1), decimal.New(10, -2), 1, 1_000_000_000_000_000_000); v.String() != "0.01" {
		t.Errorf("0.95 hundredths = %s, want 0.01", v)
	}
	if fast < 100000 {
		t.Errorf("only %d of the values took the integer path", fast)
	}
}

// fenSum is zeroFen.Add(a).Add(b)… — value and exponent — whether the
// amounts are fen, have other exponents, or overflow an int64 on the way.
func TestFenSumMatchesAdd(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 9))
	for i := range 20000 {
		var s fenSum
		want := zeroFen
		for range r.IntN(8) {
			var d decimal.Decimal
			switch r.IntN(10) {
			case 0:
				d = decimal.New(r.Int64N(1000), -int32(r.IntN(5))) // another exponent
			case 1:
				d = decimal.New(math.MaxInt64-r.Int64N(3), -2) // overflows when added twice
			case 2:
				d = decimal.New(math.MinInt64+r.Int64N(3), -2)
			case 3:
				d = decimal.New(999_999_999_999_999_999, -2)
			default:
				d = decimal.New(r.Int64N(2_000_000_000)-1_000_000_000, -2)
			}
			s.add(d)
			want = want.Add(d)
		}
		if got := s.total(); !sameDecimal(got, want) {
			t.Fatalf("case %d: fenSum %s (exp %d), Add %s (exp %d)", i, got, got.Exponent(), want, want.Exponent())
		}
	}
	// At int64's edge: amounts of 18 digits summing to MaxInt64 fen stay
	// in the int64; one more fen overflows into the decimal total.
	var s fenSum
	want := zeroFen
	for _, c := range []int64{999_999_999_999_999_999, 999_999_999_999_999_999, 999_999_999_999_999_999,
		999_999_999_999_999_999, 999_999_999_999_999_999, 999_999_999_999_999_999, 999_999_999_999_999_999,
		999_999_999_999_999_999, 999_999_999_999_999_999, 223_372_036_854_775_816} {
		s.add(decimal.New(c, -2))
		want = want.Add(decimal.New(c, -2))
	}
	if s.inDec || s.fen != math.MaxInt64 || !sameDecimal(s.total(), want) {
		t.Fatalf("sum to MaxInt64 fen: %s (in decimals %v)", s.total(), s.inDec)
	}
	s.add(decimal.New(1, -2))
	want = want.Add(decimal.New(1, -2))
	if !s.inDec || !sameDecimal(s.total(), want) {
		t.Errorf("MaxInt64 + 1 fen = %s (in decimals %v), want %s", s.total(), s.inDec, want)
	}
	s = fenSum{}
	s.add(decimal.New(math.MinInt64+1, -2)) // 19 digits: decimals from the start
	if !s.inDec {
		t.Error("a 19-digit amount was summed in the int64")
	}
}

// subAmount is decimal's Sub, value and exponent: same exponents either
// sign, different exponents, 18 and 19 digits.
func TestSubAmountMatchesSub(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 12))
	ds := []decimal.Decimal{decimal.New(999_999_999_999_999_999, -2), decimal.New(-999_999_999_999_999_999, -2),
		decimal.New(math.MaxInt64, -2), decimal.New(math.MinInt64, -2), decimal.New(0, -2), decimal.New(0, 0)}
	for range 50000 {
		ds = append(ds, decimal.New(r.Int64N(2_000_000_000_000)-1_000_000_000_000, -int32(r.IntN(4))))
	}
	for i := range 100000 {
		a, b := ds[r.IntN(len(ds))], ds[r.IntN(len(ds))]
		if i < 36 {
			a, b = ds[i/6], ds[i%6]
		}
		if got, want := subAmount(a, b), a.Sub(b); !sameDecimal(got, want) {
			t.Fatalf("%s − %s = %s (exp %d), want %s (exp %d)", a, b, got, got.Exponent(), want, want.Exponent())
		}
	}
}
