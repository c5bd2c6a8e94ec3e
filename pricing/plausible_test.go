package pricing

import (
	"testing"

	"tfpricing"
	"tfpricing/catalog"
)

// plausibleTerms: baseline 2025, SPTs 2026 and 2027, start 2026-12-01.
func plausibleTerms() Terms {
	t := appendixTerms()
	t.KPIs[0].Baseline = catalog.Observation{Year: 2025, Value: dec("88")}
	t.KPIs[0].Targets = []catalog.Observation{{Year: 2026, Value: dec("82")}, {Year: 2027, Value: dec("76")}}
	t.Facility.StartDate = day("2026-12-01")
	return t
}

// codesOf maps each refused field to its code.
func codesOf(t *testing.T, err error) map[string]string {
	t.Helper()
	if err == nil {
		return map[string]string{}
	}
	e := appErr(t, err, tfpricing.EUNPROCESSABLE)
	out := map[string]string{}
	for _, f := range e.Fields {
		out[f.Field] = f.Code
	}
	return out
}

// Each rule at its boundary, under policy 2026.1 (grace_days 120, so
// due(2025) = 2025-12-31 + 120 days = 2026-04-30, worked by hand:
// January 31 + February 28 + March 31 + April 30 = 120).
func TestCheckPlausible(t *testing.T) {
	p := shippedPolicy(t)
	lim := Plausibility{MaxStartAheadDays: 365}
	ok := plausibleTerms()
	if err := CheckPlausible(ok, p, day("2026-11-27"), lim); err != nil {
		t.Fatalf("plausible terms refused: %v", err)
	}
	for _, tc := range []struct {
		name  string
		edit  func(*Terms)
		asOf  string
		field string
		code  string // "" for accepted
	}{
		// A target of last year whose report is still due on as_of: refused
		// as before the quote's year; on due(Y) itself the deadline has
		// not passed, the day after it has.
		{"last year, report not yet due", func(t *Terms) { t.KPIs[0].Targets[0].Year = 2025 }, "2026-03-01", "kpis[0].targets[0].year", "before_quote_year"},
		{"last year, on its due date", func(t *Terms) { t.KPIs[0].Targets[0].Year = 2025 }, "2026-04-30", "kpis[0].targets[0].year", "before_quote_year"},
		{"last year, the day after its due date", func(t *Terms) { t.KPIs[0].Targets[0].Year = 2025 }, "2026-05-01", "kpis[0].targets[0].year", "deadline_passed"},
		{"the quote's own year", func(t *Terms) {}, "2026-11-27", "kpis[0].targets[0].year", ""},
		// The baseline year may be as_of's year, not a later one.
		{"baseline in as_of's year", func(t *Terms) { t.KPIs[0].Baseline.Year = 2026 }, "2026-11-27", "kpis[0].baseline.year", ""},
		{"baseline after as_of's year", func(t *Terms) { t.KPIs[0].Baseline.Year = 2027 }, "2026-11-27", "kpis[0].baseline.year", "baseline_after_as_of"},
		// 2026-11-27 + 365 days = 2027-11-27.
		{"start on the horizon", func(t *Terms) { t.Facility.StartDate = day("2027-11-27") }, "2026-11-27", "facility.start_date", ""},
		{"start a day beyond the horizon", func(t *Terms) { t.Facility.StartDate = day("2027-11-28") }, "2026-11-27", "facility.start_date", "beyond_horizon"},
	} {
		terms := plausibleTerms()
		tc.edit(&terms)
		got := codesOf(t, CheckPlausible(terms, p, day(tc.asOf), lim))
		if got[tc.field] != tc.code {
			t.Errorf("%s: %s is %q, want %q (%v)", tc.name, tc.field, got[tc.field], tc.code, got)
		}
	}
	// The horizon is configurable; zero takes the default of 365 days.
	terms := plausibleTerms()
	terms.Facility.StartDate = day("2026-12-28") // 31 days after 2026-11-27
	if got := codesOf(t, CheckPlausible(terms, p, day("2026-11-27"), Plausibility{MaxStartAheadDays: 30})); got["facility.start_date"] != "beyond_horizon" {
		t.Errorf("30-day horizon: %v", got)
	}
	terms.Facility.StartDate = day("2027-11-28")
	if got := codesOf(t, CheckPlausible(terms, p, day("2026-11-27"), Plausibility{})); got["facility.start_date"] != "beyond_horizon" {
		t.Errorf("default horizon: %v", got)
	}
}
