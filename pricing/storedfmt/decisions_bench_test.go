package storedfmt

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"
	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/pricing/audit"
	"tfpricing/pricing/loanbook"
)

// BenchmarkEncodeLevels compares zstd's levels with and without dictionary
// 1 on the testdata records (stored-B is the stored size), which is how
// decisionLevel was chosen: go test -run '^$' -bench EncodeLevels -count 5.
func BenchmarkEncodeLevels(b *testing.B) {
	for _, name := range []string{"quote-standard.json", "booking.json", "repricing.json"} {
		canonical := testRecord(b, name)
		for _, lvl := range []zstd.EncoderLevel{zstd.SpeedFastest, zstd.SpeedDefault, zstd.SpeedBetterCompression} {
			for _, dict := range []bool{false, true} {
				{
					opts := []zstd.EOption{zstd.WithEncoderLevel(lvl), zstd.WithLowerEncoderMem(true)}
					if dict {
						opts = append(opts, zstd.WithEncoderDictRaw(dict1ID, dict1))
					}
					e, _ := zstd.NewWriter(nil, opts...)
					b.Run(fmt.Sprintf("%s/%v/dict=%v", name, lvl, dict), func(b *testing.B) {
						b.ReportAllocs()
						var n int
						for b.Loop() {
							n = len(e.EncodeAll(canonical, make([]byte, 0, len(canonical)/4)))
						}
						b.ReportMetric(float64(n), "stored-B")
					})
				}
			}
		}
	}
}

// BenchmarkReadSchedule is what compression adds to a schedule read: a
// 20-period state (the stamp only, and the whole state), compressed and
// bare.
func BenchmarkReadSchedule(b *testing.B) {
	st := loanbook.ScheduleState{LoanID: "L-00000007", CalculatedOn: tfpricing.MustParseDate("2025-06-15"),
		LatestFixing: tfpricing.MustParseDate("2025-05-20"), Revision: 3, DecisionSeq: 41,
		TotalInterest: decimal.RequireFromString("491944.44")}
	for p := 1; p <= 20; p++ {
		st.Rates = append(st.Rates, audit.PeriodRate{Period: p, Start: tfpricing.NewDate(2023+p/4, time.Month(1+3*(p%4)), 1),
			Rate: decimal.RequireFromString("3.8500")})
	}
	packed, _ := EncodeSchedule(st)
	bare, _ := json.Marshal(NewSchedule(st))
	for _, c := range []struct {
		name string
		raw  []byte
	}{{"compressed", packed}, {"bare", bare}} {
		b.Run("state/"+c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := ReadSchedule(c.raw); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("stamp/"+c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := ReadStamp(c.raw); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
