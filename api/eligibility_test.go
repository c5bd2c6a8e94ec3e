package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

func TestEligibility(t *testing.T) {
	e := newEnv(t, "2026-11-27")

	t.Run("200", func(t *testing.T) {
		rec := e.call(http.MethodPost, "/v1/eligibility", "officer", sampleEligibility)
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		body := jsonBody(t, rec)
		// Worked by hand from DESIGN.md §3/§3.1: C2822 → C28; pet_fdy_energy is a C28-P01
		// metric; final target 76 ≤ baseline level 83; first target ≤ 83 is 2027 (82 in
		// 2026 already is) ≤ 2025+3; improvement (88−76)/88 = 13.6 % ≥ 8 %; score 72 ≥ 60.
		// Baseline 88 is worse than 83 → transitioning.
		if body["eligible"] != true || body["tier"] != "transitioning" || body["core_kpi"] != "pet_fdy_energy" {
			t.Errorf("assessment: %v", body)
		}
		checks := body["checks"].([]any)
		var rules []string
		for _, c := range checks {
			c := c.(map[string]any)
			rules = append(rules, c["rule"].(string))
			if c["status"] != "pass" || c["message_zh"] == "" || c["message_en"] == "" {
				t.Errorf("check %v", c)
			}
		}
		want := []string{"industry_covered", "pathway_in_industry", "core_kpi_present", "no_obsolete_capacity",
			"reaches_baseline_level", "reaches_baseline_in_time", "ambition", "just_transition", "new_capacity_at_benchmark"}
		if !slices.Equal(rules, want) {
			t.Errorf("rules %v, want %v", rules, want)
		}
		if cat := body["catalogue"].(map[string]any); !strings.HasPrefix(cat["digest"].(string), "sha256:") {
			t.Errorf("catalogue ref %v", cat)
		}
		// An analyst may check eligibility too; an ineligible plan is still a 200.
		obsolete := strings.Replace(sampleEligibility, `"obsolete_capacity": false`, `"obsolete_capacity": true`, 1)
		rec = e.call(http.MethodPost, "/v1/eligibility", "analyst", obsolete)
		if b := jsonBody(t, rec); rec.Code != http.StatusOK || b["eligible"] != false || b["tier"] != "ineligible" {
			t.Errorf("obsolete capacity: %d %v", rec.Code, b)
		}
	})

	t.Run("400", func(t *testing.T) {
		tests := []struct {
			name, body string
			fields     []string
		}{
			{"wrong USCC check character", strings.Replace(sampleEligibility, "Y43", "Y44", 1), []string{"borrower.uscc"}},
			{"unknown field", strings.Replace(sampleEligibility, `"pathway_id"`, `"colour": "red", "pathway_id"`, 1), []string{"colour"}},
			{"number for a decimal", strings.Replace(sampleEligibility, `"value": "88"`, `"value": 88`, 1), nil},
			{"malformed JSON", `{"borrower": `, []string{""}},
			{"empty body", ``, []string{""}},
			{"every bad field listed", `{"borrower": {"uscc": "91350100m000100y43", "industry_code": "28X"},
			  "kpis": [{"metric_id": "pet_fdy_energy", "baseline": {"year": 2025, "value": "8x"},
			            "targets": [{"year": 2025, "value": "82"}]}]}`,
				[]string{"pathway_id", "borrower.uscc", "borrower.industry_code", "kpis[0].baseline.value", "kpis[0].targets[0].year"}},
			{"custom KPI without direction", strings.Replace(sampleEligibility, `}]}],`,
				`}]}, {"metric_id": "dye_house_steam", "baseline": {"year": 2025, "value": "10"}, "targets": [{"year": 2026, "value": "9"}]}],`, 1),
				[]string{"kpis[1].name", "kpis[1].unit", "kpis[1].direction"}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				rec := e.call(http.MethodPost, "/v1/eligibility", "officer", tc.body)
				if rec.Code != http.StatusBadRequest {
					t.Fatalf("status %d: %s", rec.Code, rec.Body)
				}
				got := problemFields(t, rec)
				for _, f := range tc.fields {
					if !slices.Contains(got, f) {
						t.Errorf("field %q not named in %v (%s)", f, got, rec.Body)
					}
				}
			})
		}
	})

	t.Run("401 403", func(t *testing.T) {
		if rec := e.call(http.MethodPost, "/v1/eligibility", "", sampleEligibility); rec.Code != http.StatusUnauthorized {
			t.Errorf("no key: %d", rec.Code)
		}
		for _, role := range []string{"verifier", "auditor", "admin"} {
			if rec := e.call(http.MethodPost, "/v1/eligibility", role, sampleEligibility); rec.Code != http.StatusForbidden {
				t.Errorf("%s: %d", role, rec.Code)
			}
		}
	})

	t.Run("422", func(t *testing.T) {
		future := strings.Replace(sampleEligibility, `"as_of": "2026-11-27"`, `"as_of": "2026-11-28"`, 1)
		rec := e.call(http.MethodPost, "/v1/eligibility", "officer", future)
		if rec.Code != http.StatusUnprocessableEntity || !slices.Contains(problemFields(t, rec), "as_of") {
			t.Errorf("as_of after the business date: %d %s", rec.Code, rec.Body)
		}
	})
}
