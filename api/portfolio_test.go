package api_test

import (
	"net/http"
	"strings"
	"testing"
)

// Two sample loans booked on 2026-11-27 (50,000,000.00 each from
// 2026-12-01, quarterly equal principal, 3.3000 % — see TestQuote), seen on
// the booking date:
//   - 2 loans, 100,000,000.00 outstanding, all in C2822 / C28-P01 / AA;
//     weighted rate 3.3000, ratchet 0.00.
//   - Next 12 months = the periods paid on 2027-03-01, 06-01 and 09-01
//     (12-01 is after 2027-11-27), ACT/360 at 3.3 % with no step yet
//     under the current projection:
//     50,000,000.00 × 3.3 % × 90/360 = 412,500.00;
//     45,833,333.33 × 3.3 % × 92/360 = 386,527.777… → 386,527.78;
//     41,666,666.66 × 3.3 % × 92/360 = 351,388.888… → 351,388.89;
//     1,150,416.67 per loan, 2,300,833.34 for two.
//   - The 2026 SPT is due 2026-12-31 + 120 = 2027-04-30, 154 days after
//     2026-11-27: listed with due_within_days=154, not with 153.
//   - Financed emissions for 2025 (the default, the year before as_of): the
//     borrower's 120,000 + 40,000 t over equity + debt of 800,000,000.00 give
//     each loan 50,000,000 ÷ 800,000,000 × 160,000 = 10,000.000 t, 20,000.000
//     for the book, 20,000 ÷ 10,000 万元 = 2.000000 t per 万元, PCAF 1.00.
//     For 2024 there is no attestation: both loans are missing, figures 0.
func TestPortfolioRoute(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	a, b := e.bookQuote("P-1"), e.bookQuote("P-2")
	if rec := e.postEmissions("91350100M000100Y43", "p-em", strings.Replace(emissionsBody, `"year": 2026`, `"year": 2025`, 1)); rec.Code != http.StatusCreated {
		t.Fatalf("emissions: %d %s", rec.Code, rec.Body)
	}
	rec := e.call(http.MethodGet, "/v1/portfolio?due_within_days=154", "analyst", "")
	if rec.Code != http.StatusOK {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	p := jsonBody(t, rec)
	if p["loans"] != 2.0 || p["outstanding"] != "100000000.00" || p["weighted_all_in_rate"] != "3.3000" ||
		p["weighted_ratchet_adjustment_bp"] != "0.00" {
		t.Errorf("portfolio %v", p)
	}
	ind := p["by_industry"].([]any)
	if len(ind) != 1 || ind[0].(map[string]any)["key"] != "C2822" || ind[0].(map[string]any)["outstanding"] != "100000000.00" {
		t.Errorf("by industry %v", ind)
	}
	fe := p["financed_emissions"].(map[string]any)
	book := fe["book"].(map[string]any)
	if fe["year"] != 2025.0 || book["attributed_tco2e"] != "20000.000" || book["tco2e_per_10k_cny"] != "2.000000" ||
		book["pcaf_data_quality"] != "1.00" || book["loans_missing_data"] != 0.0 {
		t.Errorf("financed emissions %v", fe)
	}
	fe = jsonBody(t, e.call(http.MethodGet, "/v1/portfolio?emissions_year=2024", "analyst", ""))["financed_emissions"].(map[string]any)
	if book := fe["book"].(map[string]any); book["loans_missing_data"] != 2.0 || book["attributed_tco2e"] != "0.000" {
		t.Errorf("2024 financed emissions %v", fe)
	}
	cur := p["projected_interest"].(map[string]any)["current"].(map[string]any)
	if cur["next_12_months"] != "2300833.34" {
		t.Errorf("current next 12 months %v, want 2300833.34", cur["next_12_months"])
	}
	dl := p["deadlines"].([]any)
	if len(dl) != 1 {
		t.Fatalf("deadlines %v", dl)
	}
	d := dl[0].(map[string]any)
	ids := d["loan_ids"].([]any)
	if d["due_date"] != "2027-04-30" || d["year"] != 2026.0 || len(ids) != 2 || ids[0] != a || ids[1] != b {
		t.Errorf("deadline %v", d)
	}
	p = jsonBody(t, e.call(http.MethodGet, "/v1/portfolio?due_within_days=153", "auditor", ""))
	if len(p["deadlines"].([]any)) != 0 {
		t.Errorf("due_within_days=153 lists %v", p["deadlines"])
	}
	if rec := e.call(http.MethodGet, "/v1/portfolio?due_within_days=-1", "officer", ""); rec.Code != http.StatusBadRequest {
		t.Errorf("due_within_days=-1: %d", rec.Code)
	}
	if rec := e.call(http.MethodGet, "/v1/portfolio?as_of=2026-11-28", "officer", ""); rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("as_of after the business date: %d", rec.Code)
	}
}
