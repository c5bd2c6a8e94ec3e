package api_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// fuzzRoute feeds arbitrary bodies to one route: whatever the input, the
// answer is a 2xx or a 4xx problem document — never a 500, never a panic
// (the recover middleware would turn a panic into a 500).
func fuzzRoute(f *testing.F, method, path, role string, seeds ...string) {
	for _, s := range seeds {
		f.Add(s)
	}
	for _, s := range []string{"", "{}", "[]", "null", `{"a":`, "\x00\xff", `{"borrower": null}`, strings.Repeat("[", 5000)} {
		f.Add(s)
	}
	e := newEnv(f, "2026-11-27")
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer tfp-dev-"+role)
		req.Header.Set("Idempotency-Key", "fuzz")
		rec := httptest.NewRecorder()
		e.srv.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body)
		}
		if rec.Code >= 400 && rec.Header().Get("Content-Type") != "application/problem+json" {
			t.Fatalf("status %d without a problem document for %q", rec.Code, body)
		}
	})
}

func FuzzEligibilityRequest(f *testing.F) {
	fuzzRoute(f, http.MethodPost, "/v1/eligibility", "officer", sampleEligibility,
		strings.Replace(sampleEligibility, `"88"`, `"-1e400"`, 1),
		strings.Replace(sampleEligibility, `"year": 2026`, `"year": 99999999999`, 1))
}

func FuzzQuoteRequest(f *testing.F) {
	fuzzRoute(f, http.MethodPost, "/v1/quotes", "officer", sampleQuote,
		strings.Replace(sampleQuote, `"tenor_months": 36`, `"tenor_months": 600`, 1),
		strings.Replace(sampleQuote, `"2026-12-01"`, `"9999-12-31"`, 1),
		strings.Replace(sampleQuote, `"50000000.00"`, `"99999999999999999999999999.99"`, 1))
}

func FuzzBookingRequest(f *testing.F) {
	fuzzRoute(f, http.MethodPost, "/v1/loans", "officer", `{"quote_id": "Q-00000001"}`,
		`{"terms": `+sampleQuote+`}`, `{"quote_id": "Q-99999999999999999999"}`)
}

func FuzzAttestationRequest(f *testing.F) {
	fuzzRoute(f, http.MethodPost, "/v1/loans/L-00000001/attestations", "verifier",
		attest(2026, "80", ""), attest(2026, "80", "2027-01-01"), attest(-5, "1e9", "0000-00-00"))
}

func FuzzFixingRequest(f *testing.F) {
	fuzzRoute(f, http.MethodPost, "/v1/benchmarks/lpr", "admin",
		`{"effective_date": "2026-12-22", "one_year": "2.90", "five_year": "3.40"}`,
		`{"effective_date": "2026-12-22", "one_year": "0", "five_year": "99999999999999999999"}`)
}

func FuzzSimulationRequest(f *testing.F) {
	fuzzRoute(f, http.MethodPost, "/v1/simulations", "analyst",
		`{"quote": `+sampleQuote+`, "scenarios": [{"name": "met", "outcomes": {"pet_fdy_energy": {"2026": "met"}}}]}`,
		`{"quote": `+sampleQuote+`, "scenarios": [{"name": "mc", "monte_carlo": {"runs": 100, "seed": 1, "kpis": {"pet_fdy_energy": {"annual_change_pct_mean": "-5", "annual_change_pct_sd": "3"}}}}]}`,
		`{"quote": `+sampleQuote+`, "scenarios": [{"name": "lpr", "lpr_path": [{"effective_date": "2027-06-20", "one_year": "2.80", "five_year": "3.30"}], "report_lag_days": 60}]}`)
}
