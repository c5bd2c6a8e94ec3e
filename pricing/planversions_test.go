package pricing

import (
	"testing"

	"tfpricing"
	"tfpricing/catalog"
)

// Golden cases of DESIGN.md §5.1, worked by hand from Appendix A (whose
// periods, openings and benchmarks they share: 3.55 for periods 1–4, 3.45
// for 5–8, 3.00 for 9–12; S = 50, E = −10, C = 0). Interest is
// round2(opening × rate × days / 36000), every figure checked with Python's
// decimal module, never with this package.

// wantRates checks each period's rate and interest and the total.
func wantRates(t *testing.T, s Schedule, rates, interest []string, total string) {
	t.Helper()
	for i, l := range s.Lines {
		if l.Rate.StringFixed(4) != rates[i] || l.Interest.StringFixed(2) != interest[i] {
			t.Errorf("period %d: rate %s interest %s, want %s %s", i+1, l.Rate.StringFixed(4),
				l.Interest.StringFixed(2), rates[i], interest[i])
		}
	}
	if s.TotalInterest.StringFixed(2) != total {
		t.Errorf("total interest %s, want %s", s.TotalInterest.StringFixed(2), total)
	}
}

var appendixRates = []string{"3.8500", "3.8500", "3.8500", "3.7500", "3.6500", "3.6500", "3.6500", "3.8000",
	"3.3500", "3.3500", "3.3500", "3.3500"}
var appendixInterest = []string{"491944.44", "450949.07", "405497.69", "355468.75", "310925.93", "272060.19",
	"228125.00", "200115.74", "142685.18", "107013.89", "69791.67", "35283.56"}

// A restated baseline from the third year. Amendment (version 2) effective
// 2025-07-01, the start of the third year: the 2022 baseline is restated
// from 88 to 82, which is at or better than the baseline level 83, so the
// amended plan's tier is advancing (T = −20 instead of −10); the targets of
// 2023 and 2024 (due 2024-04-29 and 2025-04-30, both before 2025-07-01)
// are kept. Before: Appendix A, total 3,069,861.11. After: periods 1–8
// unchanged (they start before 2025-07-01 and use version 1); periods
// 9–12 use version 2, whose 2024 determination is the same missed (76 > 74,
// +5): A = −20 − 10 + 0 + 5 = −25, rate = 3.00 + (50 − 25)/100 = 3.2500.
// Period 9: 16,666,666.64 × 3.25 × 92 / 36000 = 138,425.925… → 138,425.93;
// 10: 12,499,999.97 × 3.25 × 92 / 36000 = 103,819.444… → 103,819.44;
// 11: 8,333,333.30 × 3.25 × 90 / 36000 = 67,708.333… → 67,708.33;
// 12: 4,166,666.63 × 3.25 × 91 / 36000 = 34,230.324… → 34,230.32.
// Total 3,059,270.83 (= 3,069,861.11 − 354,774.30 + 344,184.02).
func TestGoldenRestatedBaselineFromThirdYear(t *testing.T) {
	in := appendixInput(t)
	before, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	wantRates(t, before, appendixRates, appendixInterest, "3069861.11")
	v2 := appendixTerms().KPIs
	v2[0].Baseline = catalog.Observation{Year: 2022, Value: dec("82")}
	in.Lifecycle = Lifecycle{Amendments: []PlanVersion{{Version: 2, EffectiveFrom: day("2025-07-01"),
		Tier: catalog.Advancing, KPIs: v2}}}
	after, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	rates := append(append([]string(nil), appendixRates[:8]...), "3.2500", "3.2500", "3.2500", "3.2500")
	interest := append(append([]string(nil), appendixInterest[:8]...), "138425.93", "103819.44", "67708.33", "34230.32")
	wantRates(t, after, rates, interest, "3059270.83")
	// The boundary: effective one day later, period 9 (starting
	// 2025-07-01) is still under version 1.
	in.Lifecycle.Amendments[0].EffectiveFrom = day("2025-07-02")
	later, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	if got := later.Lines[8].Rate.StringFixed(4); got != "3.3500" {
		t.Errorf("amendment effective 2025-07-02: period 9 rate %s, want 3.3500 (version 1)", got)
	}
	if got := later.Lines[9].Rate.StringFixed(4); got != "3.2500" {
		t.Errorf("amendment effective 2025-07-02: period 10 rate %s, want 3.2500", got)
	}
}

// Declassification mid-loan, effective 2024-12-15: the first period
// starting on or after it is period 7 (2025-01-01). From there T = 0 and
// K = max_step_up_bp = 15: A = 0 − 10 + 0 + 15 = +5, rate = B + 0.55:
// periods 7–8 4.0000 (B 3.45), 9–12 3.5500 (B 3.00) — and the 2024 miss or
// any later attestation no longer matters. Interest: 7: 24,999,999.98 × 4
// × 90 / 36000 = 249,999.9998 → 250,000.00; 8: 20,833,333.31 × 4 × 91 /
// 36000 = 210,648.148… → 210,648.15; 9: 16,666,666.64 × 3.55 × 92 / 36000
// = 151,203.703… → 151,203.70; 10: 113,402.777… → 113,402.78; 11:
// 73,958.333… → 73,958.33; 12: 37,390.046… → 37,390.05. Total
// 3,123,449.08.
func TestGoldenDeclassificationMidLoan(t *testing.T) {
	in := appendixInput(t)
	in.Lifecycle = Lifecycle{DeclassifiedFrom: day("2024-12-15")}
	// A met 2025 attestation afterwards changes nothing.
	in.Attestations = append(in.Attestations, Attestation{ID: "att-2025", Seq: 3, MetricID: "pet_fdy_energy",
		Year: 2025, Value: dec("60"), AcceptedOn: day("2026-03-01")})
	s, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	rates := append(append([]string(nil), appendixRates[:6]...), "4.0000", "4.0000", "3.5500", "3.5500", "3.5500", "3.5500")
	interest := append(append([]string(nil), appendixInterest[:6]...), "250000.00", "210648.15", "151203.70",
		"113402.78", "73958.33", "37390.05")
	wantRates(t, s, rates, interest, "3123449.08")
	if got := s.Lines[6].RatchetBp.String(); got != "15" {
		t.Errorf("period 7 K = %s, want 15", got)
	}
	// The boundary: declassified on 2025-01-01 itself, period 7 is the
	// first; on 2025-01-02, period 8 is.
	for _, c := range []struct {
		from  string
		first int
	}{{"2025-01-01", 6}, {"2025-01-02", 7}} {
		in.Lifecycle.DeclassifiedFrom = day(c.from)
		s, err := Compute(in)
		if err != nil {
			t.Fatal(err)
		}
		if s.Lines[c.first-1].RatchetBp.String() == "15" || s.Lines[c.first].RatchetBp.String() != "15" {
			t.Errorf("declassified from %s: K of periods %d, %d = %s, %s", c.from, c.first, c.first+1,
				s.Lines[c.first-1].RatchetBp, s.Lines[c.first].RatchetBp)
		}
	}
}

// A KPI absent from the version in force contributes nothing, and an
// attestation for a metric and year no version has is refused.
func TestPlanVersionsAbsentKPIAndUnknownSPT(t *testing.T) {
	in := appendixInput(t)
	custom := KPI{KPI: catalog.KPI{MetricID: "water_reuse", Direction: catalog.HigherIsBetter, Custom: true,
		Targets: []catalog.Observation{{Year: 2025, Value: dec("40")}}}}
	// Version 2 from 2025-04-01 replaces pet_fdy_energy with a custom KPI
	// that has no determination yet: K = 0 from period 8, A = −20, rate
	// 3.45 + 0.30 = 3.7500 in period 8 and 3.00 + 0.30 = 3.3000 after.
	in.Lifecycle = Lifecycle{Amendments: []PlanVersion{{Version: 2, EffectiveFrom: day("2025-04-01"),
		Tier: catalog.Transitioning, KPIs: []KPI{custom}}}}
	s, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	if s.Lines[7].Rate.StringFixed(4) != "3.7500" || s.Lines[8].Rate.StringFixed(4) != "3.3000" {
		t.Errorf("periods 8, 9: %s %s, want 3.7500 3.3000", s.Lines[7].Rate, s.Lines[8].Rate)
	}
	in.Attestations = append(in.Attestations, Attestation{ID: "x", Seq: 9, MetricID: "water_reuse", Year: 2024,
		Value: dec("50"), AcceptedOn: day("2025-02-01")})
	_, err = Compute(in)
	if e, ok := err.(*tfpricing.Error); !ok || e.Code != tfpricing.EINVALID || e.Fields[0].Field != "attestations[2].year" {
		t.Errorf("water_reuse 2024: %v, want attestations[2].year unknown", err)
	}
}
