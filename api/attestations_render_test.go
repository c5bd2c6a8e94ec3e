package api

import (
	"testing"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/audit"
	"tfpricing/pricing/loanbook"
)

// sampleAttestationResult is an accepted attestation on a 36-month loan
// (the sample quote's facility: 50 M, quarterly rates around 3.3 %) that
// changed three periods' rates: the shape of the load tool's attestations.
func sampleAttestationResult() loanbook.AttestationResult {
	start := tfpricing.MustParseDate("2026-12-01")
	s := pricing.Schedule{AsOf: tfpricing.MustParseDate("2027-03-10"), Benchmark: "LPR1Y",
		TotalInterest: decimal.RequireFromString("4455000.00"), TotalSubsidy: decimal.RequireFromString("123456.78"),
		NetInterest: decimal.RequireFromString("4331543.22")}
	open := decimal.NewFromInt(50_000_000)
	for i := range 36 {
		end := start.AddMonths(1)
		principal := decimal.RequireFromString("1388888.89")
		l := pricing.Line{Period: i + 1, Start: start, End: end, Days: start.DaysUntil(end),
			BenchmarkRate: decimal.RequireFromString("3.0000"), AdjustmentBp: decimal.NewFromInt(-15 + int64(i%3)*5),
			Rate: decimal.RequireFromString("3.2500"), OpeningPrincipal: open, Principal: principal,
			Interest: decimal.RequireFromString("135416.67"), Subsidy: decimal.RequireFromString("2083.33"),
			NetInterest: decimal.RequireFromString("133333.34")}
		l.ClosingPrincipal = open.Sub(principal)
		open, start = l.ClosingPrincipal, end
		s.Lines = append(s.Lines, l)
	}
	for y := 2026; y <= 2028; y++ {
		p := pricing.SPTStatus{MetricID: "pet_fdy_energy", Year: y, Target: decimal.NewFromInt(int64(90 - 4*(y-2026))),
			DueDate: tfpricing.NewDate(y+1, 3, 31), Outcome: pricing.Pending}
		if y == 2026 {
			p.Outcome, p.DeterminedOn, p.AttestationID = pricing.Met, tfpricing.MustParseDate("2027-03-10"), "A-00000042"
		}
		s.SPTs = append(s.SPTs, p)
	}
	a := pricing.Attestation{ID: "A-00000042", Seq: 42, MetricID: "pet_fdy_energy", Year: 2026,
		Value: decimal.RequireFromString("80.5"), AcceptedOn: tfpricing.MustParseDate("2027-03-10"),
		VerifierName: "浙江某认证有限公司", VerifierAccreditation: "CNAS C001-M",
		EvidenceSHA256: "0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f"}
	r := loanbook.AttestationResult{Attestation: a, SPT: s.SPTs[0], Schedule: s,
		Status:   pricing.AttestationStatus{ID: a.ID, Seq: a.Seq, MetricID: a.MetricID, Year: a.Year, AcceptedOn: a.AcceptedOn, Status: pricing.OnTime, Outcome: pricing.Met},
		Decision: audit.Decision{Seq: 1234567}}
	for p := 4; p <= 6; p++ {
		r.Changes = append(r.Changes, audit.RateChange{Period: p, Start: s.Lines[p-1].Start,
			OldRate: decimal.RequireFromString("3.3000"), NewRate: decimal.RequireFromString("3.2500")})
	}
	return r
}

// BenchmarkRenderAttestation writes the response to sampleAttestationResult.
func BenchmarkRenderAttestation(b *testing.B) {
	r := sampleAttestationResult()
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		body, err := renderAttestation("L-00000007", r)
		if err != nil {
			b.Fatal(err)
		}
		n = len(body)
	}
	b.ReportMetric(float64(n), "bytes")
}
