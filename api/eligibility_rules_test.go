package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// Rule 9 and the uncovered-industry answer over HTTP (DESIGN.md §3.1).
func TestEligibilityNewCapacityAndUncoveredIndustry(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	statusOf := func(body map[string]any, rule string) string {
		for _, c := range body["checks"].([]any) {
			if c := c.(map[string]any); c["rule"] == rule {
				return c["status"].(string)
			}
		}
		return ""
	}

	// The sample plan's first target is 82 kgce/t; pet_fdy_energy's benchmark
	// level is 50 kgce/t (lower is better), so a new line fails rule 9.
	newLine := strings.Replace(sampleEligibility, `"obsolete_capacity": false`, `"obsolete_capacity": false, "new_capacity": true`, 1)
	rec := e.call(http.MethodPost, "/v1/eligibility", "officer", newLine)
	if b := jsonBody(t, rec); rec.Code != http.StatusOK || b["eligible"] != false ||
		statusOf(b, "new_capacity_at_benchmark") != "fail" || statusOf(b, "ambition") != "pass" {
		t.Errorf("new capacity above the benchmark: %d %s", rec.Code, rec.Body)
	}
	// Explicitly false is the default: eligible, rule 9 passes.
	notNew := strings.Replace(sampleEligibility, `"obsolete_capacity": false`, `"obsolete_capacity": false, "new_capacity": false`, 1)
	rec = e.call(http.MethodPost, "/v1/eligibility", "officer", notNew)
	if b := jsonBody(t, rec); rec.Code != http.StatusOK || b["eligible"] != true || statusOf(b, "new_capacity_at_benchmark") != "pass" {
		t.Errorf("new_capacity false: %d %s", rec.Code, rec.Body)
	}

	// null is not "absent": a 400 naming the field, on eligibility and quotes.
	for path, body := range map[string]string{
		"/v1/eligibility": strings.Replace(sampleEligibility, `"obsolete_capacity": false`, `"obsolete_capacity": false, "new_capacity": null`, 1),
		"/v1/quotes":      strings.Replace(sampleQuote, `"obsolete_capacity": false`, `"obsolete_capacity": false, "new_capacity": null`, 1),
	} {
		rec := e.call(http.MethodPost, path, "officer", body)
		if rec.Code != http.StatusBadRequest || !slices.Contains(problemFields(t, rec), "borrower.new_capacity") {
			t.Errorf("%s new_capacity null: %d %s", path, rec.Code, rec.Body)
		}
	}

	// B0610 (coal mining) is not covered. Its plan names pet_fdy_energy, a C28
	// metric: the answer is the assessment (rule 1 fails, the rules that need
	// an industry or a core KPI are skipped), not a 400 asking for the
	// custom-KPI fields of a metric the catalogue does not list for B0610.
	uncovered := strings.Replace(sampleEligibility, `"industry_code": "C2822"`, `"industry_code": "B0610"`, 1)
	rec = e.call(http.MethodPost, "/v1/eligibility", "officer", uncovered)
	if rec.Code != http.StatusOK {
		t.Fatalf("uncovered industry: %d %s", rec.Code, rec.Body)
	}
	b := jsonBody(t, rec)
	var got []string
	for _, c := range b["checks"].([]any) {
		got = append(got, c.(map[string]any)["status"].(string)[:1])
	}
	// Rule 4 depends on no other rule and is still assessed.
	if strings.Join(got, "") != "fsspsssss" || b["eligible"] != false || b["tier"] != "ineligible" || b["industry"] != nil {
		t.Errorf("uncovered industry: statuses %v, body %s", got, rec.Body)
	}
}
