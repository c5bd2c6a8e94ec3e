package api_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// simBody wraps scenarios (a JSON array) around sampleQuote: CNY 50m from
// 2026-12-01, 36 months quarterly, equal principal, subsidy 100 bp to
// 2027-12-01; pet_fdy_energy baseline 2025: 88, SPTs 2026: 82, 2027: 76.
func simBody(scenarios string) string {
	return `{"quote": ` + sampleQuote + `, "scenarios": ` + scenarios + `}`
}

func simulate(t *testing.T, e *testEnv, path, role, body string) map[string]any {
	t.Helper()
	rec := e.call(http.MethodPost, path, role, body)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	return jsonBody(t, rec)
}

func scenarioOf(t *testing.T, body map[string]any, i int) map[string]any {
	t.Helper()
	return body["scenarios"].([]any)[i].(map[string]any)
}

// projection is a schedule with its totals as the JSON gives them.
func projectionOf(m map[string]any) string {
	b, _ := json.Marshal([]any{m["total_interest"], m["total_subsidy"], m["net_interest"], m["schedule"]})
	return string(b)
}

func TestSimulationMatchesQuote(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	rec := e.call(http.MethodPost, "/v1/quotes", "analyst", sampleQuote)
	if rec.Code != http.StatusCreated {
		t.Fatalf("quote: %d %s", rec.Code, rec.Body)
	}
	proj := jsonBody(t, rec)["projections"].(map[string]any)

	body := simulate(t, e, "/v1/simulations", "analyst", simBody(`[
	  {"name": "all met", "outcomes": {"pet_fdy_energy": {"2026": "met", "2027": "met"}}},
	  {"name": "none met", "outcomes": {"pet_fdy_energy": {"2026": "missed", "2027": "missed"}}},
	  {"name": "current"},
	  {"name": "partly met", "outcomes": {"pet_fdy_energy": {"2026": "met"}}, "projection": "none_met"},
	  {"name": "values", "kpi_values": {"pet_fdy_energy": {"2026": "81.5", "2027": "77"}}}]`))
	for i, want := range []string{"all_met", "none_met", "current"} {
		if got, w := projectionOf(scenarioOf(t, body, i)), projectionOf(proj[want].(map[string]any)); got != w {
			t.Errorf("scenario %d is not the quote's %s:\n got %s\nwant %s", i, want, got, w)
		}
	}
	if b := body["baseline"].(map[string]any); b["name"] != "all met" || b["source"] != "scenario" ||
		b["net_interest"] != scenarioOf(t, body, 0)["net_interest"] {
		t.Errorf("baseline %v", b)
	}
	// none met − all met in net interest is the quote's savings (the subsidy
	// is the same in both here).
	if d := scenarioOf(t, body, 1)["difference_vs_baseline"]; d != jsonBody(t, rec)["savings_all_met_vs_none_met"] {
		t.Errorf("difference %v, savings %v", d, jsonBody(t, rec)["savings_all_met_vs_none_met"])
	}
	if d := scenarioOf(t, body, 0)["difference_vs_baseline"]; d != "0.00" {
		t.Errorf("baseline's own difference %v", d)
	}
	for i, want := range []string{
		`{"pet_fdy_energy":{"2026":"met","2027":"met"}}`,
		`{"pet_fdy_energy":{"2026":"missed","2027":"missed"}}`,
		`{"pet_fdy_energy":{"2026":"pending","2027":"pending"}}`,
		`{"pet_fdy_energy":{"2026":"met","2027":"missed"}}`,
		// 81.5 ≤ 82 met; 77 > 76 missed (lower is better).
		`{"pet_fdy_energy":{"2026":"met","2027":"missed"}}`,
	} {
		sc := scenarioOf(t, body, i)
		if got, _ := json.Marshal(sc["outcomes"]); string(got) != want || sc["kind"] != "deterministic" {
			t.Errorf("%v: %s outcomes %s, want %s", sc["name"], sc["kind"], got, want)
		}
	}
	// Values that meet and miss as "partly met" does give its schedule.
	if a, b := projectionOf(scenarioOf(t, body, 3)), projectionOf(scenarioOf(t, body, 4)); a != b {
		t.Errorf("values and outcomes disagree:\n%s\n%s", a, b)
	}
	if body["as_of"] != "2026-11-27" || body["policy"].(map[string]any)["version"] != "2026.1" {
		t.Errorf("as_of %v policy %v", body["as_of"], body["policy"])
	}
	// The officer may simulate too, and nothing was stored: the data file
	// check at cleanup sees only the one quote.
	simulate(t, e, "/v1/simulations", "officer", simBody(`[{"name": "current"}]`))
}

// TestSimulationLPRCutByHand: the DESIGN.md §7 quote with an assumed LPR
// cut of 1Y to 2.80 effective 2027-06-20. The benchmark resets on the
// 2027-12-01 anniversary, so periods 1–4 keep 3.00 (3.3000 all-in) and
// periods 5–12 take 2.80 → 3.1000. Period 5 (2027-12-01 → 2028-03-01, 91
// days: 31 + 31 + 29), opening 50,000,000.00 − 4 × 4,166,666.67 =
// 33,333,333.32: interest 33,333,333.32 × 3.10 × 91 / 36000 =
// 261,203.7036… → 261,203.70; the subsidy ended with periods starting
// before 2027-12-01, so 0.00. Unchanged, at 3.30: 33,333,333.32 × 3.30 × 91
// / 36000 = 278,055.5554… → 278,055.56.
func TestSimulationLPRCutByHand(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	body := simulate(t, e, "/v1/simulations", "analyst", simBody(`[
	  {"name": "base"},
	  {"name": "cut", "lpr_path": [{"effective_date": "2027-06-20", "one_year": "2.80", "five_year": "3.30"}]}]`))
	base, cut := scenarioOf(t, body, 0)["schedule"].([]any), scenarioOf(t, body, 1)["schedule"].([]any)
	for i := range cut {
		b, c := base[i].(map[string]any), cut[i].(map[string]any)
		wantRate, wantBench := "3.3000", "3.0000"
		if i >= 4 {
			wantRate, wantBench = "3.1000", "2.8000"
		}
		if c["rate"] != wantRate || c["benchmark_rate"] != wantBench || b["rate"] != "3.3000" {
			t.Errorf("period %d: cut %v/%v, base %v", i+1, c["benchmark_rate"], c["rate"], b["rate"])
		}
	}
	p5 := cut[4].(map[string]any)
	if p5["start"] != "2027-12-01" || p5["days"] != 91.0 || p5["opening_principal"] != "33333333.32" ||
		p5["interest"] != "261203.70" || p5["subsidy"] != "0.00" || base[4].(map[string]any)["interest"] != "278055.56" {
		t.Errorf("period 5: %v / base %v", p5, base[4])
	}
	d, _ := strconv.ParseFloat(scenarioOf(t, body, 1)["difference_vs_baseline"].(string), 64)
	if d >= 0 {
		t.Errorf("a cut must lower net interest: %v", d)
	}
}

const mcScenario = `{"name": "mc", "monte_carlo": {"runs": %d, "seed": %d,
  "kpis": {"pet_fdy_energy": {"annual_change_pct_mean": "%s", "annual_change_pct_sd": "%s"}}}}`

func TestSimulationMonteCarlo(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	mc := func(runs, seed int, mean, sd string) string { return fmt.Sprintf(mcScenario, runs, seed, mean, sd) }

	t.Run("zero volatility is the deterministic result", func(t *testing.T) {
		// 88 × 0.93 = 81.84 meets 82; × 0.93 = 76.1112 misses 76.
		body := simulate(t, e, "/v1/simulations", "analyst", simBody(`[
		  {"name": "values", "kpi_values": {"pet_fdy_energy": {"2026": "81.84", "2027": "76.1112"}}}, `+
			mc(300, 1, "-7", "0")+`]`))
		det, m := scenarioOf(t, body, 0), scenarioOf(t, body, 1)
		sched := det["schedule"].([]any)
		last := sched[len(sched)-1].(map[string]any)["rate"]
		ti, lr := m["total_interest"].(map[string]any), m["last_rate"].(map[string]any)
		for _, k := range []string{"mean", "p5", "p50", "p95"} {
			if ti[k] != det["total_interest"] || lr[k] != last {
				t.Errorf("%s: interest %v rate %v, deterministic %v %v", k, ti[k], lr[k], det["total_interest"], last)
			}
		}
		if got, _ := json.Marshal(m["spt_met_probability"]); string(got) != `{"pet_fdy_energy":{"2026":"1.0000","2027":"0.0000"}}` {
			t.Errorf("probabilities %s", got)
		}
		if m["all_met_share"] != "0.0000" || m["kind"] != "monte_carlo" || m["runs"] != 300.0 || m["seed"] != 1.0 {
			t.Errorf("mc %v", m)
		}
		// With only Monte Carlo scenarios the baseline is the quote's none_met.
		only := simulate(t, e, "/v1/simulations", "analyst", simBody(`[`+mc(10, 1, "-7", "0")+`]`))
		if b := only["baseline"].(map[string]any); b["name"] != "none_met" || b["source"] != "none_met" {
			t.Errorf("baseline %v", b)
		}
	})

	t.Run("seeded", func(t *testing.T) {
		run := func(seed int) string {
			rec := e.call(http.MethodPost, "/v1/simulations", "analyst", simBody(`[`+mc(3000, seed, "-5", "3")+`]`))
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			return rec.Body.String()
		}
		a, b, c := run(7), run(7), run(8)
		if a != b {
			t.Errorf("the same seed gave different bodies:\n%s\n%s", a, b)
		}
		if a == c {
			t.Errorf("seeds 7 and 8 gave the same body:\n%s", a)
		}
	})

	t.Run("probabilities follow the mean", func(t *testing.T) {
		probs := func(mean string) (p2026, p2027, interest float64) {
			m := scenarioOf(t, simulate(t, e, "/v1/simulations", "analyst", simBody(`[`+mc(4000, 11, mean, "3")+`]`)), 0)
			p := m["spt_met_probability"].(map[string]any)["pet_fdy_energy"].(map[string]any)
			f := func(v any) float64 { x, _ := strconv.ParseFloat(v.(string), 64); return x }
			return f(p["2026"]), f(p["2027"]), f(m["total_interest"].(map[string]any)["mean"])
		}
		s26, s27, si := probs("-3")
		f26, f27, fi := probs("-8")
		if !(f26 > s26 && f27 > s27 && fi < si) {
			t.Errorf("mean -3: %v %v %v; mean -8: %v %v %v", s26, s27, si, f26, f27, fi)
		}
	})
}

func TestSimulationCSV(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	scenarios := `[{"name": "全部达标 all met", "outcomes": {"pet_fdy_energy": {"2026": "met", "2027": "met"}}},
	  ` + fmt.Sprintf(mcScenario, 100, 1, "-5", "3") + `,
	  {"name": "cut, \"quoted\"", "lpr_path": [{"effective_date": "2027-06-20", "one_year": "2.80", "five_year": "3.30"}]},
	  {"name": "=HYPERLINK(\"x\")"}]`
	body := simulate(t, e, "/v1/simulations", "analyst", simBody(scenarios))
	rec := e.call(http.MethodPost, "/v1/simulations?format=csv", "analyst", simBody(scenarios))
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") {
		t.Fatalf("status %d type %q: %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
	// A UTF-8 byte order mark first, for spreadsheets.
	if !bytes.HasPrefix(rec.Body.Bytes(), []byte{0xEF, 0xBB, 0xBF}) {
		t.Errorf("csv without a UTF-8 BOM: %q", rec.Body.Bytes()[:min(8, rec.Body.Len())])
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(rec.Body.Bytes(), []byte{0xEF, 0xBB, 0xBF}))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header := []string{"scenario", "period", "start", "end", "days", "benchmark_rate", "adjustment_bp", "rate",
		"opening_principal", "principal", "interest", "subsidy", "net_interest", "closing_principal"}
	if !slices.Equal(rows[0], header) {
		t.Fatalf("header %v", rows[0])
	}
	// The rows are the deterministic scenarios' JSON lines, in order; the
	// Monte Carlo scenario has none; a formula-like name is defused.
	var want [][]string
	for _, i := range []int{0, 2, 3} {
		sc := scenarioOf(t, body, i)
		name := sc["name"].(string)
		if strings.HasPrefix(name, "=") {
			name = "'" + name
		}
		for _, l := range sc["schedule"].([]any) {
			l := l.(map[string]any)
			row := []string{name}
			for _, h := range header[1:] {
				switch v := l[h].(type) {
				case float64:
					row = append(row, strconv.Itoa(int(v)))
				default:
					row = append(row, v.(string))
				}
			}
			want = append(want, row)
		}
	}
	if len(rows)-1 != len(want) || len(want) != 36 {
		t.Fatalf("%d rows, want %d (3 scenarios × 12 periods)", len(rows)-1, len(want))
	}
	for i, w := range want {
		if !slices.Equal(rows[i+1], w) {
			t.Errorf("row %d\n got %v\nwant %v", i+1, rows[i+1], w)
		}
	}
	if rec := e.call(http.MethodPost, "/v1/simulations?format=xml", "analyst", simBody(scenarios)); rec.Code != http.StatusBadRequest ||
		!slices.Equal(problemFields(t, rec), []string{"format"}) {
		t.Errorf("format=xml: %d %s", rec.Code, rec.Body)
	}
}

func TestSimulation400(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	many := func(n int, runs []int) string {
		var parts []string
		for i := 0; i < n; i++ {
			parts = append(parts, fmt.Sprintf(`{"name": "s%d"}`, i))
		}
		for i, r := range runs {
			parts = append(parts, fmt.Sprintf(`{"name": "mc%d", "monte_carlo": {"runs": %d, "seed": 1,
			  "kpis": {"pet_fdy_energy": {"annual_change_pct_mean": "-5", "annual_change_pct_sd": "3"}}}}`, i, r))
		}
		return "[" + strings.Join(parts, ",") + "]"
	}
	tests := []struct {
		name, body string
		fields     []string
	}{
		{"51 scenarios", simBody(many(51, nil)), []string{"scenarios"}},
		{"no scenario", simBody(`[]`), []string{"scenarios"}},
		{"100,001 runs in all", simBody(many(3, []int{40000, 30000, 30000, 1})), []string{"scenarios[6].monte_carlo.runs"}},
		{"100,001 runs in one", simBody(many(0, []int{100001})), []string{"scenarios[0].monte_carlo.runs"}},
		{"no quote", `{"scenarios": [{"name": "x"}]}`, []string{"quote"}},
		{"every bad field", simBody(`[
		  {"name": "a", "outcomes": {"pet_fdy_energy": {"2027": "great", "2030": "met", "27": "met"}, "nope": {"2027": "met"}},
		   "kpi_values": {"pet_fdy_energy": {"2026": "eighty"}},
		   "lpr_path": [{"effective_date": "2027-06-20", "one_year": "2.80", "five_year": "3.30"},
		                {"effective_date": "2026-02-30", "one_year": "2.8", "five_year": "3.3"},
		                {"effective_date": "2026-11-01", "one_year": "-1", "five_year": "3.3"}],
		   "report_lag_days": 500, "projection": "most"},
		  {"name": "a", "report_lag_days": 0},
		  {"name": "mc", "outcomes": {"pet_fdy_energy": {"2026": "met"}}, "monte_carlo": {"runs": 0,
		   "kpis": {"pet_fdy_energy": {"annual_change_pct_mean": "-500", "annual_change_pct_sd": ""},
		            "nope": {"annual_change_pct_mean": "1", "annual_change_pct_sd": "1"}}}}]`),
			[]string{
				"scenarios[0].outcomes.pet_fdy_energy.2027", "scenarios[0].outcomes.pet_fdy_energy.2030",
				"scenarios[0].outcomes.pet_fdy_energy.27", "scenarios[0].outcomes.nope",
				"scenarios[0].kpi_values.pet_fdy_energy.2026",
				"scenarios[0].lpr_path[1].effective_date", "scenarios[0].lpr_path[2].effective_date",
				"scenarios[0].lpr_path[2].one_year", "scenarios[0].report_lag_days", "scenarios[0].projection",
				"scenarios[1].name", "scenarios[1].report_lag_days",
				"scenarios[2].outcomes.pet_fdy_energy", "scenarios[2].monte_carlo.runs", "scenarios[2].monte_carlo.seed",
				"scenarios[2].monte_carlo.kpis.pet_fdy_energy.annual_change_pct_mean",
				"scenarios[2].monte_carlo.kpis.pet_fdy_energy.annual_change_pct_sd",
				"scenarios[2].monte_carlo.kpis.nope",
			}},
		{"bad quote and bad scenario", strings.Replace(simBody(`[{"name": ""}]`), `"tenor_months": 36`, `"tenor_months": 35`, 1),
			[]string{"quote.facility.tenor_months", "scenarios[0].name"}},
		{"unknown field", simBody(`[{"name": "x", "colour": "red"}]`), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := e.call(http.MethodPost, "/v1/simulations", "analyst", tc.body)
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			got := problemFields(t, rec)
			for _, f := range tc.fields {
				if !slices.Contains(got, f) {
					t.Errorf("field %q not in %v", f, got)
				}
			}
			if tc.fields != nil && len(got) != len(tc.fields) {
				t.Errorf("fields %v, want exactly %v", got, tc.fields)
			}
		})
	}
	// Exactly 50 scenarios and 100,000 runs are fine.
	if rec := e.call(http.MethodPost, "/v1/simulations", "analyst", simBody(many(48, []int{50000, 50000}))); rec.Code != http.StatusOK {
		t.Errorf("at the limits: %d %s", rec.Code, rec.Body)
	}
}

func TestSimulation422(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	for _, tc := range []struct{ name, body string }{
		{"ineligible quote", strings.Replace(simBody(`[{"name": "x"}]`), `"obsolete_capacity": false`, `"obsolete_capacity": true`, 1)},
		{"start before as_of", strings.Replace(simBody(`[{"name": "x"}]`), `"start_date": "2026-12-01"`, `"start_date": "2026-11-01"`, 1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := e.call(http.MethodPost, "/v1/simulations", "analyst", tc.body)
			if rec.Code != http.StatusUnprocessableEntity {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			problemFields(t, rec)
		})
	}
	// record: false is accepted.
	simulate(t, e, "/v1/simulations", "analyst", strings.Replace(simBody(`[{"name": "x"}]`), `"scenarios"`, `"record": false, "scenarios"`, 1))
}

func TestSimulationRoles(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	body := simBody(`[{"name": "x"}]`)
	for role, want := range map[string]int{"analyst": 200, "officer": 200, "verifier": 403, "auditor": 403, "admin": 403,
		"": 401, "bad": 401} {
		if rec := e.call(http.MethodPost, "/v1/simulations", role, body); rec.Code != want {
			t.Errorf("%q: %d, want %d", role, rec.Code, want)
		}
	}
}

// A client that has gone away gets no simulation: the handler returns at
// once with 499 for the log.
func TestSimulationClientGone(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequest(http.MethodPost, "/v1/simulations",
		strings.NewReader(simBody(`[`+fmt.Sprintf(mcScenario, 100000, 1, "-5", "3")+`]`))).WithContext(ctx)
	req.Header.Set("Authorization", "Bearer tfp-dev-analyst")
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	e.srv.ServeHTTP(rec, req)
	checkContract(t, req, rec)
	if rec.Code != 499 || rec.Body.Len() != 0 {
		t.Errorf("status %d body %q", rec.Code, rec.Body)
	}
	if !strings.Contains(e.logs.String(), `"status":499`) {
		t.Errorf("log: %s", e.logs)
	}
}
