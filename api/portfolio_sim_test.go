package api_test

import (
	"net/http"
	"strings"
	"testing"
)

// Through the route: two sample loans, every pending SPT met (p = 1) is the
// same book under any correlation; the draft policy is checked like a
// shipped one; CSV opens with a BOM; the same request gives the same bytes.
func TestPortfolioSimulationRoute(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	e.bookQuote("S-1")
	e.bookQuote("S-2")
	body := `{"runs": 200, "seed": 7, "scenarios": [
	  {"name": "met", "default_probability": "1", "default_correlation": "0"},
	  {"name": "met together", "default_probability": "1", "default_correlation": "1"},
	  {"name": "half", "default_probability": "0.5", "default_correlation": "0.3",
	   "probabilities": {"pet_fdy_energy": {"2027": "0.9", "*": "0.4"}},
	   "lpr_path": [{"effective_date": "2027-06-20", "one_year": "2.80", "five_year": "3.30"}]}]}`
	rec := e.call(http.MethodPost, "/v1/portfolio/simulations", "analyst", body)
	if rec.Code != http.StatusOK {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	first := rec.Body.String()
	out := jsonBody(t, rec)
	scs := out["scenarios"].([]any)
	if out["loans"] != 2.0 || len(scs) != 3 {
		t.Fatalf("%v", out)
	}
	a, b := scs[0].(map[string]any)["interest_income"], scs[1].(map[string]any)["interest_income"]
	if a.(map[string]any)["mean"] != b.(map[string]any)["mean"] || a.(map[string]any)["p5"] != a.(map[string]any)["p95"] {
		t.Errorf("certain outcomes: %v vs %v", a, b)
	}
	if again := e.call(http.MethodPost, "/v1/portfolio/simulations", "analyst", body); again.Body.String() != first {
		t.Error("the same request gave other bytes")
	}
	csv := e.call(http.MethodPost, "/v1/portfolio/simulations?format=csv", "analyst", body)
	if !strings.HasPrefix(csv.Body.String(), "\ufeffscenario,industry_code,") || strings.Count(csv.Body.String(), "\n") != 7 {
		t.Errorf("csv %q", csv.Body.String())
	}
	recorded := e.call(http.MethodPost, "/v1/portfolio/simulations", "analyst", strings.Replace(body, `"seed": 7,`, `"seed": 7, "record": true,`, 1))
	id := recorded.Header().Get("X-Decision-Id")
	if recorded.Code != http.StatusOK || id == "" || jsonBody(t, recorded)["decision_id"] != id {
		t.Fatalf("record: %d %s", recorded.Code, recorded.Body)
	}
	if d := jsonBody(t, e.call(http.MethodGet, "/v1/decisions/"+id, "auditor", "")); d["kind"] != "simulation" {
		t.Errorf("recorded decision %v", d)
	}
	bad := e.call(http.MethodPost, "/v1/portfolio/simulations", "analyst", `{"runs": 0, "seed": 1, "draft_policy": "version: x",
	  "scenarios": [{"name": "x", "default_probability": "1.5", "policy": "draft"}]}`)
	fields := strings.Join(problemFields(t, bad), " ")
	if bad.Code != http.StatusBadRequest || !strings.Contains(fields, "runs") || !strings.Contains(fields, "scenarios[0].default_probability") ||
		!strings.Contains(fields, "draft_policy") {
		t.Errorf("bad request: %d %s", bad.Code, fields)
	}
}
