package api

import (
	"bytes"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/pricing"
)

// randomDec draws decimals of every form the formatters meet: few or many
// digits, more decimals than written (rounded by StringFixed), negative,
// zero, and coefficients past int64 (the math/big path).
func randomDec(r *rand.Rand) decimal.Decimal {
	switch r.IntN(6) {
	case 0:
		return decimal.Zero
	case 1:
		return decimal.RequireFromString("-123456789012345678901234.56789")
	case 2:
		return decimal.New(r.Int64N(1_000_000_000)-500_000_000, -int32(r.IntN(12)))
	case 3:
		return decimal.New(r.Int64N(1000), int32(r.IntN(4)))
	case 4:
		return decimal.RequireFromString("0.005") // rounds half away from zero at 2 places
	}
	return decimal.New(r.Int64(), -int32(r.IntN(20)))
}

func randomSchedule(r *rand.Rand) pricing.Schedule {
	s := pricing.Schedule{TotalInterest: randomDec(r), TotalSubsidy: randomDec(r), NetInterest: randomDec(r)}
	if r.IntN(5) > 0 {
		s.Lines = make([]pricing.Line, r.IntN(90))
	}
	for i := range s.Lines {
		start := tfpricing.MustParseDate("2026-12-01").AddDays(30 * i)
		s.Lines[i] = pricing.Line{Period: i + 1, Start: start, End: start.AddDays(r.IntN(40)), Days: r.IntN(40),
			BenchmarkRate: randomDec(r), AdjustmentBp: randomDec(r), Rate: randomDec(r),
			OpeningPrincipal: randomDec(r), Principal: randomDec(r), Interest: randomDec(r), Subsidy: randomDec(r),
			NetInterest: randomDec(r), ClosingPrincipal: randomDec(r)}
		if r.IntN(10) == 0 {
			s.Lines[i].End = tfpricing.Date{} // the zero date writes ""
		}
	}
	return s
}

// quoteBody writes exactly what writeJSON writes for the whole quoteJSON.
func TestQuoteBodyMatchesJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 7))
	for range 300 {
		q := pricing.Quote{Current: randomSchedule(r), AllMet: randomSchedule(r), NoneMet: randomSchedule(r)}
		var head quoteJSON
		fillDTO(r, reflect.ValueOf(&head).Elem())
		got := quoteBody(head, q)
		full := head
		full.Projections = map[string]projectionJSON{
			"current": toProjectionJSON(q.Current), "all_met": toProjectionJSON(q.AllMet), "none_met": toProjectionJSON(q.NoneMet)}
		var want bytes.Buffer
		if err := writeJSON(&want, full); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("quoteBody differs from writeJSON:\n got %s\nwant %s", got, want.Bytes())
		}
	}
}
