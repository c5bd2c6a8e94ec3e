package api_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"tfpricing/api"
)

// TestRateLimitPerKey: past its bucket a key gets 429 with Retry-After,
// while another key is still served.
func TestRateLimitPerKey(t *testing.T) {
	e := newEnvWith(t, "2026-11-27", func(d *api.Deps) { d.RateLimit = api.RateLimit{PerSecond: 1, Burst: 3} })
	var codes []int
	for range 5 {
		codes = append(codes, e.call(http.MethodGet, "/v1/policy", "officer", "").Code)
	}
	// A bucket of 3 refilled at 1/s: the first three pass, the rest wait.
	if !slices.Equal(codes[:3], []int{200, 200, 200}) || codes[4] != http.StatusTooManyRequests {
		t.Fatalf("codes %v", codes)
	}
	rec := e.call(http.MethodGet, "/v1/policy", "officer", "")
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" {
		t.Errorf("429 without Retry-After: %d %v", rec.Code, rec.Header())
	}
	problemFields(t, rec)
	if rec := e.call(http.MethodGet, "/v1/policy", "auditor", ""); rec.Code != http.StatusOK {
		t.Errorf("another key was throttled too: %d", rec.Code)
	}
}

// TestVerifierScopedKey: a key issued to one verification body cannot
// attest in another's name (object-level authorisation).
func TestVerifierScopedKey(t *testing.T) {
	e := newEnvWith(t, "2026-11-27", scopeVerifierKeys("浙江某认证有限公司"))
	id := e.bookQuote("SCOPED")
	e.setToday("2027-03-10")
	other := strings.Replace(attest(2026, "80", ""), "浙江某认证有限公司", "Another Verifier Ltd", 1)
	before := e.digest()
	if rec := e.postAttestation(id, "s-1", other); rec.Code != http.StatusForbidden {
		t.Errorf("attesting for another verifier: %d %s", rec.Code, rec.Body)
	}
	if e.digest() != before {
		t.Error("the refused attestation changed the data file")
	}
	if rec := e.postAttestation(id, "s-2", attest(2026, "80", "")); rec.Code != http.StatusCreated {
		t.Errorf("attesting for its own verifier: %d %s", rec.Code, rec.Body)
	}
}

// scopeVerifierKeys scopes the environment's verifier keys to the
// verification bodies named.
func scopeVerifierKeys(names ...string) func(*api.Deps) {
	return func(d *api.Deps) {
		for i := range d.Keys {
			if d.Keys[i].Role == "verifier" {
				d.Keys[i].Verifiers = names
			}
		}
	}
}

// TestForgedForwardedFor: the client address is the connection's; a forged
// X-Forwarded-For does not reach the log.
func TestForgedForwardedFor(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	req := httptest.NewRequest(http.MethodGet, "/healthz", nil)
	req.Header.Set("X-Forwarded-For", "203.0.113.77")
	req.Header.Set("X-Real-IP", "203.0.113.78")
	rec := httptest.NewRecorder()
	e.srv.ServeHTTP(rec, req)
	logs := e.logs.String()
	if strings.Contains(logs, "203.0.113.7") || !strings.Contains(logs, `"remote_ip":"192.0.2.1"`) {
		t.Errorf("log took the forged address:\n%s", logs)
	}
}

// TestSecurityHeaders: every response, success or problem, carries them.
func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	for _, rec := range []*httptest.ResponseRecorder{
		e.call(http.MethodGet, "/healthz", "", ""),
		e.call(http.MethodGet, "/v1/catalogue", "", ""),
		e.call(http.MethodPost, "/v1/eligibility", "officer", "{"),
		e.call(http.MethodGet, "/v1/nothing-here", "officer", ""),
	} {
		for _, h := range []string{"X-Content-Type-Options", "X-Frame-Options", "Content-Security-Policy", "Cache-Control", "Referrer-Policy"} {
			if rec.Header().Get(h) == "" {
				t.Errorf("HTTP %d without %s", rec.Code, h)
			}
		}
	}
}

// TestArrayLimits: more than 20 KPIs or 50 targets is a 400 naming the
// field.
func TestArrayLimits(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	kpi := `{"metric_id": "k%d", "name": "n", "unit": "u", "direction": "lower_is_better",
	  "baseline": {"year": 2025, "value": "10"}, "targets": [{"year": 2026, "value": "9"}]}`
	var kpis []string
	for i := range 21 {
		kpis = append(kpis, fmt.Sprintf(kpi, i))
	}
	body := strings.Replace(sampleEligibility, sampleKPIs, "["+strings.Join(kpis, ",")+"]", 1)
	if rec := e.call(http.MethodPost, "/v1/eligibility", "officer", body); rec.Code != http.StatusBadRequest ||
		!slices.Contains(problemFields(t, rec), "kpis") {
		t.Errorf("21 KPIs: %d %s", rec.Code, rec.Body)
	}
	var targets []string
	for y := 2026; y < 2026+51; y++ {
		targets = append(targets, fmt.Sprintf(`{"year": %d, "value": "80"}`, y))
	}
	body = strings.Replace(sampleEligibility, `[{"year": 2026, "value": "82"}, {"year": 2027, "value": "76"}]`, "["+strings.Join(targets, ",")+"]", 1)
	if rec := e.call(http.MethodPost, "/v1/eligibility", "officer", body); rec.Code != http.StatusBadRequest ||
		!slices.Contains(problemFields(t, rec), "kpis[0].targets") {
		t.Errorf("51 targets: %d %s", rec.Code, rec.Body)
	}
}
