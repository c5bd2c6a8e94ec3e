package api_test

import (
	"net/http"
	"testing"
)

// DESIGN.md §4: rates are written with 4 decimals. Both shipped policies
// state limits.floor_rate as "2.2000" (§4.1), so GET /v1/policy shows
// "2.2000" for each, not the "2.2" of the canonical form behind the digest.
func TestPolicyFloorRateHasFourDecimals(t *testing.T) {
	e := newEnv(t, "2027-01-05")
	for _, asOf := range []string{"2026-12-31", "2027-01-01"} {
		p := jsonBody(t, e.call(http.MethodGet, "/v1/policy?as_of="+asOf, "analyst", ""))
		if got := p["limits"].(map[string]any)["floor_rate"]; got != "2.2000" {
			t.Errorf("policy %v on %s: floor_rate %v, want 2.2000", p["version"], asOf, got)
		}
	}
}
