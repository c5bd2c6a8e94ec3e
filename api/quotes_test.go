package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// sampleQuote is DESIGN.md §7's quote example on the business date
// 2026-11-27.
const sampleQuote = `{"borrower": {"name": "湖州某化纤有限公司", "uscc": "91350100M000100Y43", "industry_code": "C2822",
  "just_transition_score": 72, "obsolete_capacity": false, "credit_rating": "AA", "esg_score": 70,
  "carbon_efficiency_grade": 3},
 "pathway_id": "C28-P01",
 "kpis": [{"metric_id": "pet_fdy_energy", "baseline": {"year": 2025, "value": "88"},
           "targets": [{"year": 2026, "value": "82"}, {"year": 2027, "value": "76"}]}],
 "facility": {"amount": "50000000.00", "currency": "CNY", "start_date": "2026-12-01",
              "tenor_months": 36, "repayment": "equal_principal",
              "payment_frequency": "quarterly", "subsidy": {"rate_bp": "100", "end_date": "2027-12-01"}}}`

func TestQuote(t *testing.T) {
	e := newEnv(t, "2026-11-27")

	t.Run("201", func(t *testing.T) {
		rec := e.call(http.MethodPost, "/v1/quotes", "officer", sampleQuote)
		if rec.Code != http.StatusCreated {
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		q := jsonBody(t, rec)
		// Worked by hand: LPR in force on 2026-11-27 is the 2025-05-20 fixing, 1Y 3.00
		// (36 ≤ 60 months). S = 50 (AA), T = −10 (transitioning: 88 worse than 83),
		// E = −10 (70 ≥ 65), C = 0 (grade 3), K = 0 → A = −20;
		// rate = 3.00 + (50 − 20)/100 = 3.3000.
		rate := q["rate"].(map[string]any)
		bm := rate["benchmark"].(map[string]any)
		if bm["name"] != "LPR1Y" || bm["effective_date"] != "2025-05-20" || bm["rate"] != "3.0000" {
			t.Errorf("benchmark %v", bm)
		}
		for k, want := range map[string]any{"credit_spread_bp": "50", "tier_adjustment_bp": "-10", "esg_adjustment_bp": "-10",
			"carbon_adjustment_bp": "0", "ratchet_adjustment_bp": "0", "total_adjustment_bp": "-20", "all_in_rate": "3.3000",
			"floor_applied": false, "cap_applied": false} {
			if rate[k] != want {
				t.Errorf("rate.%s = %v, want %v", k, rate[k], want)
			}
		}
		proj := q["projections"].(map[string]any)
		line := func(p string, i int) map[string]any {
			return proj[p].(map[string]any)["schedule"].([]any)[i].(map[string]any)
		}
		// Period 1: 2026-12-01 → 2027-03-01 = 31+31+28 = 90 days;
		// interest = 50,000,000.00 × 3.30 × 90 / 36000 = 412,500.00;
		// subsidy (100 bp, period starts before 2027-12-01) = 50,000,000 × 100 × 90 / 3,600,000 = 125,000.00.
		l1 := line("current", 0)
		if l1["days"] != 90.0 || l1["interest"] != "412500.00" || l1["subsidy"] != "125000.00" || l1["net_interest"] != "287500.00" ||
			l1["principal"] != "4166666.67" {
			t.Errorf("current period 1: %v", l1)
		}
		// SPT 2026 is due 2026-12-31 + 120 days = 2027-04-30. all_met assumes it met on that
		// date, so the first period starting on or after it (period 3, 2027-06-01) gets
		// K = −10 → 3.2000; none_met gets +5 → 3.3500. Period 2 (2027-03-01) is unchanged.
		if r := line("all_met", 2)["rate"]; r != "3.2000" {
			t.Errorf("all_met period 3 rate %v", r)
		}
		if r := line("none_met", 2)["rate"]; r != "3.3500" {
			t.Errorf("none_met period 3 rate %v", r)
		}
		if r := line("all_met", 1)["rate"]; r != "3.3000" {
			t.Errorf("all_met period 2 rate %v", r)
		}
		if q["valid_until"] != "2026-12-27" || !strings.HasPrefix(q["quote_id"].(string), "Q-") {
			t.Errorf("validity/id: %v %v", q["valid_until"], q["quote_id"])
		}
		// The analyst may price too.
		if rec := e.call(http.MethodPost, "/v1/quotes", "analyst", sampleQuote); rec.Code != http.StatusCreated {
			t.Errorf("analyst: %d", rec.Code)
		}
	})

	t.Run("400", func(t *testing.T) {
		tests := []struct {
			name, from, to string
			fields         []string
		}{
			{"tenor not a multiple of the frequency", `"tenor_months": 36`, `"tenor_months": 35`, []string{"facility.tenor_months"}},
			{"more than 50 years", `"tenor_months": 36`, `"tenor_months": 612`, []string{"facility.tenor_months"}},
			{"amount with 3 decimals", `"50000000.00"`, `"50000000.001"`, []string{"facility.amount"}},
			{"amount zero", `"50000000.00"`, `"0"`, []string{"facility.amount"}},
			{"negative amount", `"50000000.00"`, `"-5"`, []string{"facility.amount"}},
			{"unknown frequency", `"quarterly"`, `"fortnightly"`, []string{"facility.payment_frequency"}},
			{"missing esg score", `"esg_score": 70,`, ``, []string{"borrower.esg_score"}},
			{"bad step", `"metric_id": "pet_fdy_energy",`, `"metric_id": "pet_fdy_energy", "step_down_bp": "-3",`, []string{"kpis[0].step_down_bp"}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				body := strings.Replace(sampleQuote, tc.from, tc.to, 1)
				rec := e.call(http.MethodPost, "/v1/quotes", "officer", body)
				if rec.Code != http.StatusBadRequest {
					t.Fatalf("status %d: %s", rec.Code, rec.Body)
				}
				got := problemFields(t, rec)
				for _, f := range tc.fields {
					if !slices.Contains(got, f) {
						t.Errorf("field %q not in %v", f, got)
					}
				}
			})
		}
	})

	t.Run("422", func(t *testing.T) {
		tests := []struct{ name, from, to string }{
			{"rating not in the policy", `"credit_rating": "AA"`, `"credit_rating": "CCC"`},
			{"start before as_of", `"start_date": "2026-12-01"`, `"start_date": "2026-11-01"`},
			{"ineligible", `"obsolete_capacity": false`, `"obsolete_capacity": true`},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				rec := e.call(http.MethodPost, "/v1/quotes", "officer", strings.Replace(sampleQuote, tc.from, tc.to, 1))
				if rec.Code != http.StatusUnprocessableEntity {
					t.Fatalf("status %d: %s", rec.Code, rec.Body)
				}
				problemFields(t, rec)
			})
		}
		rec := e.call(http.MethodPost, "/v1/quotes", "officer", strings.Replace(sampleQuote, `"obsolete_capacity": false`, `"obsolete_capacity": true`, 1))
		el := jsonBody(t, rec)["eligibility"].(map[string]any)
		if el["eligible"] != false || len(el["checks"].([]any)) != 9 {
			t.Errorf("ineligible quote should carry the checks: %v", el)
		}
		// No LPR fixing is in force before the first shipped fixing (2022-08-22).
		old := strings.Replace(strings.Replace(sampleQuote, `"start_date": "2026-12-01"`, `"start_date": "2022-08-01"`, 1),
			`"facility"`, `"as_of": "2022-07-01", "facility"`, 1)
		if rec := e.call(http.MethodPost, "/v1/quotes", "officer", old); rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("no catalogue/LPR in force: %d %s", rec.Code, rec.Body)
		}
	})

	t.Run("403", func(t *testing.T) {
		for _, role := range []string{"verifier", "auditor", "admin"} {
			if rec := e.call(http.MethodPost, "/v1/quotes", role, sampleQuote); rec.Code != http.StatusForbidden {
				t.Errorf("%s: %d", role, rec.Code)
			}
		}
	})
}
