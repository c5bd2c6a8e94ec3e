package storedfmt

import (
	"encoding/json"
	"testing"
	"time"

	"tfpricing"
	"tfpricing/pricing/audit"
	"tfpricing/pricing/loanbook"
)

// BenchmarkReadStamp reads the stamp of a 20-period schedule state stored
// as version 3 (the stamp in front) and as version 2 (the frame alone),
// which is what every schedule read, attestation and planned repricing
// does first (ScheduleStamp).
func BenchmarkReadStamp(b *testing.B) {
	st := loanbook.ScheduleState{LoanID: "L-00000007", CalculatedOn: tfpricing.MustParseDate("2025-06-15"),
		LatestFixing: tfpricing.MustParseDate("2025-05-20"), Revision: 3, DecisionSeq: 41, TotalInterest: dec("491944.44"),
		SPTs: []loanbook.SPTMark{{MetricID: "pet_fdy_energy", Year: 2025}}}
	for p := 1; p <= 20; p++ {
		st.Rates = append(st.Rates, audit.PeriodRate{Period: p, Start: tfpricing.NewDate(2023+p/4, time.Month(1+3*(p%4)), 1), Rate: dec("3.8500")})
	}
	v3, err := EncodeSchedule(st)
	if err != nil {
		b.Fatal(err)
	}
	plain, _ := json.Marshal(NewSchedule(st))
	for name, raw := range map[string][]byte{"v3": v3, "v2": Pack(plain)} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if s, err := ReadStamp(raw); err != nil || s.Revision != 3 {
					b.Fatal(s, err)
				}
			}
		})
	}
}
