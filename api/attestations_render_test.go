package api

import (
	"bytes"
	"math"
	"math/rand/v2"
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

// The attestation response as the service wrote it before
// renderAttestation was written by hand: a DTO of strings, encoded by
// writeJSON and its newline trimmed. TestAttestationBodyMatchesJSON holds
// renderAttestation to it.

type rateChangeJSON struct {
	Period  int            `json:"period"`
	Start   tfpricing.Date `json:"start"`
	OldRate string         `json:"old_rate"`
	NewRate string         `json:"new_rate"`
}

type attestationResultJSON struct {
	Attestation attestationJSON  `json:"attestation"`
	Outcome     string           `json:"outcome"`
	DecisionID  string           `json:"decision_id"`
	Changes     []rateChangeJSON `json:"changes"`
	Schedule    scheduleJSON     `json:"schedule"`
}

func renderAttestationJSON(loanID string, r loanbook.AttestationResult) ([]byte, error) {
	out := attestationResultJSON{
		Attestation: toAttestationJSON(loanID, r.Attestation, r.Status),
		Outcome:     string(r.SPT.Outcome),
		DecisionID:  decisionID(r.Decision.Seq),
		Changes:     make([]rateChangeJSON, 0, len(r.Changes)),
		Schedule:    toScheduleJSON(loanID, r.Schedule),
	}
	for _, ch := range r.Changes {
		out.Changes = append(out.Changes, rateChangeJSON{Period: ch.Period, Start: ch.Start,
			OldRate: pricing.FormatRate(ch.OldRate), NewRate: pricing.FormatRate(ch.NewRate)})
	}
	var buf bytes.Buffer
	if err := writeJSON(&buf, out); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// randomAttestationResult is a result with every member random: strings
// from fillDTO's (escapes, control characters, <>&, U+2028/2029, Chinese,
// emoji, invalid UTF-8), decimals from randomDec (zero, negative, huge,
// many places, half-way roundings), dates zero or set, the attestation's
// outcome empty (null) or set, the changes nil, empty or several, the
// decision's sequence from 0 to the largest uint64, schedules from none
// to 89 lines.
func randomAttestationResult(r *rand.Rand) loanbook.AttestationResult {
	statuses := []pricing.Timeliness{pricing.OnTime, pricing.Timeliness(randomString(r))}
	outcomes := []pricing.Outcome{"", pricing.Met, pricing.Missed, pricing.Outcome(randomString(r))}
	date := func() tfpricing.Date {
		if r.IntN(5) == 0 {
			return tfpricing.Date{}
		}
		return tfpricing.MustParseDate("2026-01-01").AddDays(r.IntN(4000))
	}
	a := pricing.Attestation{ID: randomString(r), Seq: r.Uint64(), MetricID: randomString(r),
		Year: 2026 + r.IntN(10) - r.IntN(5000)*r.IntN(2), Value: randomDec(r), AcceptedOn: date(),
		VerifierName: randomString(r), VerifierAccreditation: randomString(r), EvidenceSHA256: randomString(r)}
	res := loanbook.AttestationResult{Attestation: a, Schedule: randomLoanSchedule(r),
		Status: pricing.AttestationStatus{Status: statuses[r.IntN(len(statuses))], Outcome: outcomes[r.IntN(len(outcomes))]},
		SPT:    pricing.SPTStatus{Outcome: outcomes[r.IntN(len(outcomes))]}}
	switch r.IntN(4) {
	case 0:
		res.Decision.Seq = 0
	case 1:
		res.Decision.Seq = math.MaxUint64
	default:
		res.Decision.Seq = r.Uint64N(1 << uint(r.IntN(64)))
	}
	if r.IntN(4) > 0 {
		res.Changes = make([]audit.RateChange, r.IntN(8))
	}
	for i := range res.Changes {
		res.Changes[i] = audit.RateChange{Period: r.IntN(400) - r.IntN(2)*1000, Start: date(), OldRate: randomDec(r), NewRate: randomDec(r)}
	}
	return res
}

// renderAttestation writes exactly the old path's bytes for random results.
func TestAttestationBodyMatchesJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 14))
	for i := range 2000 {
		res := randomAttestationResult(r)
		id := randomString(r)
		if i == 0 {
			res = sampleAttestationResult()
		}
		got, err := renderAttestation(id, res)
		if err != nil {
			t.Fatal(err)
		}
		want, err := renderAttestationJSON(id, res)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("renderAttestation differs from the DTO path (result %d):\n got %s\nwant %s", i, got, want)
		}
	}
}
