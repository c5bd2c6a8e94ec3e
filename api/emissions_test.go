package api_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

const emissionsBody = `{"year": 2026, "scope1_tco2e": "120000", "scope2_tco2e": "40000", "output": "350000",
  "output_unit": "t", "equity_plus_debt": "800000000.00", "source": "verified",
  "verifier": {"name": "浙江某认证有限公司", "accreditation": "CNAS C001-M"},
  "evidence_sha256": "0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f"}`

func (e *testEnv) postEmissions(uscc, key, body string) *httptest.ResponseRecorder {
	e.t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/v1/borrowers/"+uscc+"/emissions", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer tfp-dev-verifier")
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	rec := httptest.NewRecorder()
	e.srv.ServeHTTP(rec, req)
	checkContract(e.t, req, rec)
	return rec
}

// An emissions attestation is a sealed, replayable decision; a retry with
// the same key and body gets the same bytes, another body a 422; missing
// key, bad fields and a bad USCC are 400s naming each.
func TestEmissionsAttestation(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	const uscc = "91350100M000100Y43"
	first := e.postEmissions(uscc, "em-1", emissionsBody)
	if first.Code != http.StatusCreated {
		t.Fatalf("%d %s", first.Code, first.Body)
	}
	got := jsonBody(t, first)
	if got["pcaf_data_quality"] != 1.0 || got["id"] != "E-"+uscc+"-1" || got["equity_plus_debt"] != "800000000.00" {
		t.Errorf("emissions %v", got)
	}
	seq := first.Header().Get("X-Decision-Id")
	if rec := e.call(http.MethodPost, "/v1/decisions/"+seq+"/replay", "auditor", ""); rec.Code != http.StatusOK ||
		jsonBody(t, rec)["match"] != true {
		t.Errorf("replay of decision %s: %d %s", seq, rec.Code, rec.Body)
	}
	again := e.postEmissions(uscc, "em-1", emissionsBody)
	if again.Code != http.StatusCreated || again.Body.String() != first.Body.String() || again.Header().Get("Idempotent-Replayed") != "true" {
		t.Errorf("retry: %d %s", again.Code, again.Body)
	}
	other := e.postEmissions(uscc, "em-1", strings.Replace(emissionsBody, `"120000"`, `"120001"`, 1))
	if other.Code != http.StatusUnprocessableEntity {
		t.Errorf("same key, another body: %d", other.Code)
	}
	bad := e.postEmissions(uscc, "", strings.Replace(emissionsBody, `"verified"`, `"guessed"`, 1))
	if f := strings.Join(problemFields(t, bad), " "); bad.Code != http.StatusBadRequest || !strings.Contains(f, "Idempotency-Key") || !strings.Contains(f, "source") {
		t.Errorf("bad request: %d %s", bad.Code, f)
	}
	if rec := e.postEmissions("91350100M000100Y44", "k", emissionsBody); rec.Code != http.StatusBadRequest {
		t.Errorf("wrong check character: %d", rec.Code)
	}
	list := jsonBody(t, e.call(http.MethodGet, "/v1/borrowers/"+uscc+"/emissions", "analyst", ""))
	if items := list["items"].([]any); len(items) != 1 {
		t.Errorf("listing %v", list)
	}
}
