package pricing

import (
	"strconv"
	"strings"
	"testing"

	"tfpricing/catalog"
)

// appendixTable is DESIGN.md Appendix A, copied from the design text (not
// from any program's output): period, start, end, days, LPR, A, rate,
// opening, principal, interest.
var appendixTable = []string{
	"1 2023-07-01 2023-10-01 92 3.5500 -20 3.8500 50000000.00 4166666.67 491944.44",
	"2 2023-10-01 2024-01-01 92 3.5500 -20 3.8500 45833333.33 4166666.67 450949.07",
	"3 2024-01-01 2024-04-01 91 3.5500 -20 3.8500 41666666.66 4166666.67 405497.69",
	"4 2024-04-01 2024-07-01 91 3.5500 -30 3.7500 37499999.99 4166666.67 355468.75",
	"5 2024-07-01 2024-10-01 92 3.4500 -30 3.6500 33333333.32 4166666.67 310925.93",
	"6 2024-10-01 2025-01-01 92 3.4500 -30 3.6500 29166666.65 4166666.67 272060.19",
	"7 2025-01-01 2025-04-01 90 3.4500 -30 3.6500 24999999.98 4166666.67 228125.00",
	"8 2025-04-01 2025-07-01 91 3.4500 -15 3.8000 20833333.31 4166666.67 200115.74",
	"9 2025-07-01 2025-10-01 92 3.0000 -15 3.3500 16666666.64 4166666.67 142685.18",
	"10 2025-10-01 2026-01-01 92 3.0000 -15 3.3500 12499999.97 4166666.67 107013.89",
	"11 2026-01-01 2026-04-01 90 3.0000 -15 3.3500 8333333.30 4166666.67 69791.67",
	"12 2026-04-01 2026-07-01 91 3.0000 -15 3.3500 4166666.63 4166666.63 35283.56",
}

// appendixTerms are the borrower and facility of Appendix A: AA (S = 50),
// ESG 70 (-10), carbon grade 3 (0), transitioning (-10), CNY 50m from
// 2023-07-01 for 36 months, quarterly, equal principal; one KPI
// pet_fdy_energy (lower is better) with SPTs 2023: 80, 2024: 74, 2025: 68.
func appendixTerms() Terms {
	return Terms{
		Tier: catalog.Transitioning, CreditRating: "AA", ESGScore: 70, CarbonGrade: 3,
		KPIs: []KPI{{KPI: catalog.KPI{MetricID: "pet_fdy_energy", Direction: catalog.LowerIsBetter,
			Targets: []catalog.Observation{{Year: 2023, Value: dec("80")}, {Year: 2024, Value: dec("74")},
				{Year: 2025, Value: dec("68")}}}}},
		Facility: Facility{Amount: dec("50000000.00"), Currency: "CNY", StartDate: day("2023-07-01"),
			TenorMonths: 36, Repayment: EqualPrincipal, PaymentFrequency: 3},
	}
}

// appendixAttestations: 2023 value 79 accepted 2024-03-15 (met), 2024 value
// 76 accepted 2025-03-01 (missed); 2025 none.
func appendixAttestations() []Attestation {
	return []Attestation{
		{ID: "att-2023", Seq: 1, MetricID: "pet_fdy_energy", Year: 2023, Value: dec("79"), AcceptedOn: day("2024-03-15")},
		{ID: "att-2024", Seq: 2, MetricID: "pet_fdy_energy", Year: 2024, Value: dec("76"), AcceptedOn: day("2025-03-01")},
	}
}

func appendixInput(t testing.TB) Input {
	return Input{Terms: appendixTerms(), Policy: shippedPolicy(t), Curve: shippedCurve(t),
		Attestations: appendixAttestations(), AsOf: day("2026-11-27")}
}

func TestAppendixA(t *testing.T) {
	s, err := Compute(appendixInput(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Lines) != len(appendixTable) {
		t.Fatalf("%d lines, want %d", len(s.Lines), len(appendixTable))
	}
	for i, l := range s.Lines {
		got := strings.Join([]string{itoa(l.Period), l.Start.String(), l.End.String(), itoa(l.Days),
			FormatRate(l.BenchmarkRate), FormatBp(l.AdjustmentBp), FormatRate(l.Rate),
			FormatAmount(l.OpeningPrincipal), FormatAmount(l.Principal), FormatAmount(l.Interest)}, " ")
		if got != appendixTable[i] {
			t.Errorf("period %d\n got %s\nwant %s", i+1, got, appendixTable[i])
		}
	}
	// Total interest 3,069,861.11; no subsidy, so net equals it.
	if FormatAmount(s.TotalInterest) != "3069861.11" || !s.NetInterest.Equal(s.TotalInterest) {
		t.Errorf("total %s net %s, want 3069861.11", s.TotalInterest, s.NetInterest)
	}
	if len(s.Fixings) != 3 || s.Fixings[0].EffectiveDate != day("2023-06-20") ||
		s.Fixings[1].EffectiveDate != day("2024-02-20") || s.Fixings[2].EffectiveDate != day("2025-05-20") {
		t.Errorf("fixings used %v, want 2023-06-20, 2024-02-20, 2025-05-20", s.Fixings)
	}
	if s.Benchmark != "LPR1Y" {
		t.Errorf("benchmark %q, want LPR1Y (36 months ≤ 60)", s.Benchmark)
	}
	// Period 1: 50,000,000.00 × 3.8500 × 92 / 36000 = 491,944.444… → 491,944.44.
	if s.Lines[0].Interest.String() != "491944.44" {
		t.Errorf("period 1 interest %s", s.Lines[0].Interest)
	}
}

// The SPT statuses of Appendix A as of 2026-11-27: 2023 met on 2024-03-15,
// 2024 missed on 2025-03-01, 2025 not_reported on 2026-05-01 (due 2026-04-30
// = 2025-12-31 + 120 days).
func TestAppendixASPTs(t *testing.T) {
	s, err := Compute(appendixInput(t))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"pet_fdy_energy 2023 80 due 2024-04-29 met 2024-03-15 att-2023",
		"pet_fdy_energy 2024 74 due 2025-04-30 missed 2025-03-01 att-2024",
		"pet_fdy_energy 2025 68 due 2026-04-30 not_reported 2026-05-01 ",
	}
	if len(s.SPTs) != len(want) {
		t.Fatalf("%d SPTs, want %d", len(s.SPTs), len(want))
	}
	for i, p := range s.SPTs {
		got := strings.Join([]string{p.MetricID, itoa(p.Year), p.Target.String(), "due", p.DueDate.String(),
			string(p.Outcome), p.DeterminedOn.String(), p.AttestationID}, " ")
		if got != want[i] {
			t.Errorf("SPT %d\n got %s\nwant %s", i, got, want[i])
		}
	}
	if len(s.Attestations) != 2 || s.Attestations[0].Status != OnTime || s.Attestations[0].Outcome != Met ||
		s.Attestations[1].Status != OnTime || s.Attestations[1].Outcome != Missed {
		t.Errorf("attestation statuses %+v", s.Attestations)
	}
	for _, l := range s.Lines {
		if l.FloorApplied || l.CapApplied || !l.Subsidy.IsZero() || !l.NetInterest.Equal(l.Interest) {
			t.Errorf("period %d: unexpected floor/cap/subsidy %+v", l.Period, l)
		}
	}
	if !s.Lines[11].ClosingPrincipal.IsZero() {
		t.Errorf("closing principal %s, want 0", s.Lines[11].ClosingPrincipal)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
