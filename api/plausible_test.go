package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// Plausibility refusals are 422s naming the field, prefixed inside a
// simulation's quote.
func TestQuotePlausibility(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	for _, tc := range []struct{ name, from, to, field string }{
		// due(2025) under 2026.1 is 2026-04-30, long passed on 2026-11-27.
		{"SPT deadline passed", `{"year": 2025, "value": "88"},
           "targets": [{"year": 2026`, `{"year": 2024, "value": "88"},
           "targets": [{"year": 2025`, "kpis[0].targets[0].year"},
		{"baseline after as_of", `{"year": 2025, "value": "88"},
           "targets": [{"year": 2026, "value": "82"}, {"year": 2027`, `{"year": 2027, "value": "88"},
           "targets": [{"year": 2028, "value": "82"}, {"year": 2029`, "kpis[0].baseline.year"},
		// 2026-11-27 + 365 days = 2027-11-27.
		{"start beyond the horizon", `"start_date": "2026-12-01"`, `"start_date": "2027-11-28"`, "facility.start_date"},
	} {
		body := strings.Replace(sampleQuote, tc.from, tc.to, 1)
		if body == sampleQuote {
			t.Fatalf("%s: nothing replaced", tc.name)
		}
		rec := e.call(http.MethodPost, "/v1/quotes", "officer", body)
		if rec.Code != http.StatusUnprocessableEntity || !slices.Contains(problemFields(t, rec), tc.field) {
			t.Errorf("%s: %d %s", tc.name, rec.Code, rec.Body)
		}
		sim := `{"quote": ` + body + `, "scenarios": [{"name": "x", "projection": "all_met"}]}`
		rec = e.call(http.MethodPost, "/v1/simulations", "analyst", sim)
		if rec.Code != http.StatusUnprocessableEntity || !slices.Contains(problemFields(t, rec), "quote."+tc.field) {
			t.Errorf("%s in a simulation: %d %s", tc.name, rec.Code, rec.Body)
		}
	}
	body := strings.Replace(sampleQuote, `"start_date": "2026-12-01"`, `"start_date": "2027-11-27"`, 1)
	if rec := e.call(http.MethodPost, "/v1/quotes", "officer", body); rec.Code != http.StatusCreated {
		t.Errorf("start on the horizon: %d %s", rec.Code, rec.Body)
	}
}
