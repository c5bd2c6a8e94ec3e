package audit

import (
	"bytes"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/canon"
)

// randDecimal draws the decimals a schedule holds and the ones that take
// the writers' other branches: more decimals than the places written,
// round (3.850000) or not (3.85001, written in its normal form), zero with
// decimals, either sign, and coefficients past int64 and past 18 digits.
func randDecimal(r *rand.Rand) decimal.Decimal {
	exp := int32(r.IntN(12)) - 9 // -9 … 2
	switch r.IntN(8) {
	case 0:
		return decimal.New(0, exp)
	case 1: // a round value with trailing zeros: 3.850000
		return decimal.New(r.Int64N(1_000_000)*10_000, exp-4)
	case 2: // past int64
		c, _ := new(big.Int).SetString("123456789012345678901234567", 10)
		if r.IntN(2) == 0 {
			c.Neg(c)
		}
		return decimal.NewFromBigInt(c, exp-int32(r.IntN(20)))
	case 3: // 18 and 19 digits
		return decimal.New(999_999_999_999_999_999-r.Int64N(3)*int64(r.IntN(2)*900_000_000_000_000_000), exp)
	}
	c := r.Int64N(10_000_000_000)
	if r.IntN(3) == 0 {
		c = -c
	}
	return decimal.New(c, exp)
}

func randDate(r *rand.Rand) tfpricing.Date {
	if r.IntN(4) == 0 {
		return tfpricing.Date{}
	}
	return tfpricing.NewDate(1990+r.IntN(120), 1, 1).AddDays(r.IntN(366))
}

func randSchedule(r *rand.Rand) pricing.Schedule {
	strs := []string{"", "LPR1Y", `q"uote\back`, "tab\tnl\nctl\x01", "<&>", "湖州", "\u2028", "bad\xffutf8"}
	str := func() string { return strs[r.IntN(len(strs))] }
	s := pricing.Schedule{AsOf: randDate(r), Benchmark: str(), TotalInterest: randDecimal(r),
		TotalSubsidy: randDecimal(r), NetInterest: randDecimal(r)}
	n := r.IntN(4)
	if n > 0 {
		s.Lines = make([]pricing.Line, n-1)
	}
	for i := range s.Lines {
		s.Lines[i] = pricing.Line{Period: r.IntN(100) - 1, Start: randDate(r), End: randDate(r), Days: r.IntN(100) - 1,
			BenchmarkRate: randDecimal(r), BenchmarkDate: randDate(r), AdjustmentBp: randDecimal(r),
			RatchetBp: randDecimal(r), Rate: randDecimal(r), OpeningPrincipal: randDecimal(r),
			Principal: randDecimal(r), Interest: randDecimal(r), Subsidy: randDecimal(r), NetInterest: randDecimal(r),
			ClosingPrincipal: randDecimal(r), FloorApplied: r.IntN(2) == 0, CapApplied: r.IntN(2) == 0}
	}
	if n := r.IntN(4); n > 0 {
		s.SPTs = make([]pricing.SPTStatus, n-1)
	}
	for i := range s.SPTs {
		s.SPTs[i] = pricing.SPTStatus{MetricID: str(), Year: 2020 + r.IntN(20), Target: randDecimal(r),
			DueDate: randDate(r), Outcome: pricing.Outcome(str()), DeterminedOn: randDate(r), AttestationID: str(),
			Assumed: r.IntN(2) == 0}
	}
	if n := r.IntN(4); n > 0 {
		s.Attestations = make([]pricing.AttestationStatus, n-1)
	}
	for i := range s.Attestations {
		s.Attestations[i] = pricing.AttestationStatus{ID: str(), Seq: r.Uint64N(1 << 40), MetricID: str(),
			Year: r.IntN(3000) - 10, AcceptedOn: randDate(r), Status: pricing.Timeliness(str()), Outcome: pricing.Outcome(str())}
	}
	if n := r.IntN(4); n > 0 {
		s.Fixings = make([]pricing.Fixing, n-1)
	}
	for i := range s.Fixings {
		s.Fixings[i] = pricing.Fixing{EffectiveDate: randDate(r), OneYear: randDecimal(r), FiveYear: randDecimal(r)}
	}
	return s
}

// The quote outputs written straight from the quote are the bytes of the
// records they stand for (and so canon.Marshal's, TestAppendMatchesMarshal),
// whatever the quote holds.
func TestQuoteAppendMatchesRecords(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 5))
	normalPath := 0
	for range 3000 {
		q := pricing.Quote{AsOf: randDate(r), Policy: pricing.PolicyRef{Version: "2026.1", Digest: `sha256:"x"`},
			Current: randSchedule(r), AllMet: randSchedule(r), NoneMet: randSchedule(r), Savings: randDecimal(r),
			ValidUntil: randDate(r), Breakdown: pricing.Breakdown{BenchmarkName: "LPR1Y", BenchmarkRate: randDecimal(r),
				AllInRate: randDecimal(r), TotalAdjustmentBp: randDecimal(r)}}
		rec := newQuoteRecord(q)
		want := rec.appendJSON([]byte("x"))
		if got := appendQuoteOf([]byte("x"), &q); !bytes.Equal(got, want) {
			t.Fatalf("quote:\n got %s\nwant %s", got, want)
		}
		if m, err := canon.Marshal(rec); err != nil || !bytes.Equal(m, want[1:]) {
			t.Fatalf("record is not canon.Marshal's: %v", err)
		}
		for _, l := range q.Current.Lines {
			if d := l.Interest; d.Exponent() < -2 && !d.Round(2).Equal(d) {
				normalPath++
			}
		}
	}
	if normalPath == 0 {
		t.Fatal("no amount took the normal form")
	}
	// A value with more decimals than written: round ones in fixed form,
	// others in their normal form; zero never as "-0".
	for _, c := range []struct {
		d    decimal.Decimal
		want string
	}{{decimal.New(3850000, -6), `"3.85"`}, {decimal.New(385001, -5), `"3.85001"`}, {decimal.New(-1000, -3), `"-1.00"`},
		{decimal.New(0, -5), `"0.00"`}, {decimal.New(5, 1), `"50.00"`}, {decimal.New(-5, -3), `"-0.005"`}} {
		o := openObject(nil)
		o.fixed("a", c.d, 2)
		if got := string(o.close()); got != `{"a":`+c.want+`}` {
			t.Errorf("fixed(%s) = %s, want %s", c.d, got, c.want)
		}
	}
}
