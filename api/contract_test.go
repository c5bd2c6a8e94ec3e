package api_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"tfpricing"
	"tfpricing/catalog"
)

// contractCases is how many valid and how many invalid bodies each route
// gets; the seed makes every run the same.
const (
	contractCases = 250
	contractSeed  = 20261201
)

// TestContractGenerated holds the server to its OpenAPI document with
// bodies generated from it: a schema-valid body (one that also follows the
// cross-field rules the schemas' descriptions state) is never a 400 — it is
// accepted, or refused by a documented business rule (404, 409, 422) —
// and a body made invalid in one place is a 400 naming that place. Neither
// is ever a 5xx.
func TestContractGenerated(t *testing.T) {
	doc, _ := contract(t)
	openapi3.DefineStringFormatValidator("uscc", openapi3.NewCallbackValidator(func(s string) error { return catalog.ValidateUSCC(s) }))
	e := newEnv(t, "2026-11-27")
	loan := e.bookQuote("HZ-CONTRACT")
	g := &schemaGen{r: rand.New(rand.NewPCG(contractSeed, 1))}
	for _, rt := range []struct {
		method, path, role string
		fix                func(*schemaGen, map[string]any)
	}{
		{http.MethodPost, "/v1/eligibility", "officer", fixPlan},
		{http.MethodPost, "/v1/quotes", "officer", fixQuote},
		{http.MethodPost, "/v1/loans", "officer", func(g *schemaGen, b map[string]any) {
			if terms, ok := b["terms"].(map[string]any); ok {
				fixQuote(g, terms)
			}
		}},
		{http.MethodPost, "/v1/simulations", "analyst", fixSimulation},
		{http.MethodPost, "/v1/benchmarks/lpr", "admin", func(g *schemaGen, b map[string]any) {
			if g.r.IntN(2) == 0 {
				b["effective_date"] = tfpricing.MustParseDate("2026-11-27").AddDays(-g.r.IntN(30)).String()
			}
		}},
		// Last, on a business date (set below) when the 2026 figures can be attested.
		{http.MethodPost, "/v1/loans/" + loan + "/attestations", "verifier", func(g *schemaGen, b map[string]any) {
			if g.r.IntN(2) == 0 {
				b["metric_id"], b["year"] = "pet_fdy_energy", 2026
				delete(b, "accepted_on")
			}
		}},
	} {
		if strings.HasSuffix(rt.path, "/attestations") {
			e.setToday("2027-02-01")
		}
		docPath := strings.Replace(rt.path, loan, "{id}", 1)
		op := doc.Paths.Find(docPath).GetOperation(rt.method)
		schema := op.RequestBody.Value.Content.Get("application/json").Schema.Value
		statuses := map[int]int{}
		for i := range contractCases {
			body := g.value(schema).(map[string]any)
			rt.fix(g, body)
			body = roundTrip(t, body)
			if err := schema.VisitJSON(body); err != nil {
				t.Fatalf("%s %s: the generator made a schema-invalid body: %v\n%s", rt.method, rt.path, err, mustJSON(body))
			}
			rec := e.send(rt.method, rt.path, rt.role, fmt.Sprintf("contract-%d", i), mustJSON(body))
			statuses[rec.Code]++
			if rec.Code == http.StatusBadRequest || rec.Code >= 500 {
				t.Errorf("%s %s: schema-valid body got %d %s\nbody: %s", rt.method, rt.path, rec.Code, rec.Body, mustJSON(body))
			}
		}
		for i := range contractCases {
			body := roundTrip(t, g.value(schema).(map[string]any))
			rt.fix(g, body)
			body = roundTrip(t, body)
			field, desc := g.mutate(body, schema)
			if field == "-" {
				continue // nothing to mutate
			}
			rec := e.send(rt.method, rt.path, rt.role, fmt.Sprintf("contract-bad-%d", i), mustJSON(body))
			statuses[rec.Code+1000]++
			if rec.Code != http.StatusBadRequest {
				t.Errorf("%s %s: %s (%s) got %d %s\nbody: %s", rt.method, rt.path, desc, field, rec.Code, rec.Body, mustJSON(body))
				continue
			}
			if got := problemFields(t, rec); !slices.Contains(got, field) {
				t.Errorf("%s %s: %s: 400 names %v, not %q", rt.method, rt.path, desc, got, field)
			}
		}
		t.Logf("%s %s: statuses (invalid +1000) %v", rt.method, rt.path, statuses)
		if statuses[200]+statuses[201] == 0 {
			t.Errorf("%s %s: no generated body was accepted; the generator no longer reaches the service", rt.method, rt.path)
		}
	}
}

// send posts a body with an Idempotency-Key (ignored where not used).
func (e *testEnv) send(method, path, role, key, body string) *httptest.ResponseRecorder {
	e.t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer tfp-dev-"+role)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	rec := httptest.NewRecorder()
	e.srv.ServeHTTP(rec, req)
	checkContract(e.t, req, rec)
	return rec
}

// fixPlan makes a generated plan follow the rules across fields that the
// KPI schema's description states, and half the time look like a real
// borrower's, so that some bodies get past the business rules too.
func fixPlan(g *schemaGen, b map[string]any) {
	real := g.r.IntN(2) == 0
	if bw, ok := b["borrower"].(map[string]any); ok && real {
		bw["industry_code"], bw["obsolete_capacity"] = "C2822", false
		bw["just_transition_score"] = 60 + g.r.IntN(41)
		b["pathway_id"] = "C28-P01"
		delete(b, "as_of")
	}
	kpis, _ := b["kpis"].([]any)
	seen := map[string]bool{}
	for i, k := range kpis {
		kpi := k.(map[string]any)
		if real && i == 0 {
			kpi["metric_id"] = "pet_fdy_energy"
			kpi["baseline"] = map[string]any{"year": 2025, "value": "88"}
			kpi["targets"] = []any{map[string]any{"year": 2026, "value": "82"}, map[string]any{"year": 2027, "value": "76"}}
		}
		id := kpi["metric_id"].(string)
		if seen[id] {
			id = fmt.Sprintf("k%d", i)
			kpi["metric_id"] = id
		}
		seen[id] = true
		if id == "pet_fdy_energy" {
			delete(kpi, "unit")
			delete(kpi, "direction")
		} else {
			for _, f := range []string{"name", "unit"} {
				if s, _ := kpi[f].(string); strings.TrimSpace(s) == "" {
					kpi[f] = "x"
				}
			}
			if _, ok := kpi["direction"]; !ok {
				kpi["direction"] = "lower_is_better"
			}
		}
		// Target years strictly increasing after the baseline year.
		targets := kpi["targets"].([]any)
		base := kpi["baseline"].(map[string]any)
		y := min(int(toInt(base["year"])), 2100-len(targets))
		if real { // a baseline observed by the business date, SPTs still ahead
			y = 2020 + g.r.IntN(6)
		}
		base["year"] = y
		budget := 2100 - y - len(targets) // spare years for gaps
		for j, tg := range targets {
			gap := g.r.IntN(min(2, budget) + 1)
			budget -= gap
			y += 1 + gap
			if real && j == 0 && y < 2026 {
				budget -= 2026 - y
				y = 2026
			}
			tg.(map[string]any)["year"] = y
		}
	}
}

// fixQuote is fixPlan and the facility's rules across fields.
func fixQuote(g *schemaGen, b map[string]any) {
	fixPlan(g, b)
	if bw, ok := b["borrower"].(map[string]any); ok && bw["industry_code"] == "C2822" && g.r.IntN(2) == 0 {
		bw["credit_rating"] = "AA"
	}
	f, _ := b["facility"].(map[string]any)
	if f == nil {
		return
	}
	months := map[string]int{"monthly": 1, "quarterly": 3, "semiannual": 6, "annual": 12}[f["payment_frequency"].(string)]
	f["tenor_months"] = max(1, int(toInt(f["tenor_months"]))/months) * months
	if _, ok := b["as_of"]; !ok && g.r.IntN(2) == 0 {
		f["start_date"] = tfpricing.MustParseDate("2026-11-27").AddDays(g.r.IntN(366)).String()
	}
	if sub, ok := f["subsidy"].(map[string]any); ok {
		start := tfpricing.MustParseDate(f["start_date"].(string))
		end := start.AddDays(1 + g.r.IntN(800))
		if end.Year() > 2050 {
			end = tfpricing.MustParseDate("2050-12-31")
		}
		if !end.After(start) {
			delete(f, "subsidy")
			return
		}
		sub["end_date"] = end.String()
	}
}

// fixSimulation makes the scenarios follow the rules across fields the
// SimulationScenario schema's description states, on the generated quote.
func fixSimulation(g *schemaGen, b map[string]any) {
	q, _ := b["quote"].(map[string]any)
	if q == nil {
		return
	}
	fixQuote(g, q)
	kpi := q["kpis"].([]any)[0].(map[string]any)
	metric := kpi["metric_id"].(string)
	targets := kpi["targets"].([]any)
	year := func(i int) string { return fmt.Sprint(toInt(targets[i%len(targets)].(map[string]any)["year"])) }
	asOf := tfpricing.MustParseDate("2026-11-27")
	if s, ok := q["as_of"].(string); ok {
		asOf = tfpricing.MustParseDate(s)
	}
	scenarios, _ := b["scenarios"].([]any)
	for i, sc := range scenarios {
		m := sc.(map[string]any)
		name := []rune(fmt.Sprintf("s%d %s", i, m["name"]))
		m["name"] = string(name[:min(len(name), 100)])
		if mc, ok := m["monte_carlo"].(map[string]any); ok {
			delete(m, "outcomes")
			delete(m, "kpi_values")
			mc["runs"] = 1 + g.r.IntN(20)
			for _, v := range mc["kpis"].(map[string]any) {
				mc["kpis"] = map[string]any{metric: v}
				break
			}
		}
		if _, ok := m["outcomes"]; ok {
			m["outcomes"] = map[string]any{metric: map[string]any{year(0): "met"}}
		}
		if _, ok := m["kpi_values"]; ok {
			m["kpi_values"] = map[string]any{metric: map[string]any{year(1): "5"}}
			if len(targets) == 1 {
				delete(m, "outcomes")
			}
		}
		if lag, ok := m["report_lag_days"]; ok {
			m["report_lag_days"] = 1 + toInt(lag)%120
		}
		if path, ok := m["lpr_path"].([]any); ok {
			d := asOf
			for _, f := range path {
				d = d.AddDays(1 + g.r.IntN(400))
				f.(map[string]any)["effective_date"] = d.String()
			}
		}
	}
}

func toInt(v any) int64 {
	switch n := v.(type) {
	case int64:
		return n
	case int:
		return int64(n)
	case float64:
		return int64(n)
	}
	return 0
}

// roundTrip turns a generated value into what encoding/json decodes, the
// form kin-openapi validates.
func roundTrip(t *testing.T, v map[string]any) map[string]any {
	t.Helper()
	var out map[string]any
	if err := json.Unmarshal([]byte(mustJSON(v)), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
