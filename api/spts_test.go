package api_test

import (
	"encoding/json"
	"net/http"
	"testing"
)

// GET /v1/loans/{id}/spts answers the SPT statuses the schedule as of the
// same date reports, to the verifier too, who may not read the loan.
func TestLoanSPTs(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	id := e.bookQuote("HZ-SPT")
	e.setToday("2027-03-10")
	// The sample plan: pet_fdy_energy 2026 → 82, 2027 → 76. 81 meets 82
	// (lower is better), accepted on the business date 2027-03-10.
	if rec := e.postAttestation(id, "spt-1", attest(2026, "81", "")); rec.Code != http.StatusCreated {
		t.Fatalf("attestation: %d %s", rec.Code, rec.Body)
	}

	rec := e.call(http.MethodGet, "/v1/loans/"+id+"/spts", "verifier", "")
	if rec.Code != http.StatusOK {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	body := jsonBody(t, rec)
	spts := body["spts"].([]any)
	if body["loan_id"] != id || body["as_of"] != "2027-03-10" || len(spts) != 2 {
		t.Fatalf("body %v", body)
	}
	first, second := spts[0].(map[string]any), spts[1].(map[string]any)
	// Due date of 2026: 2026-12-31 + grace_days 120 = 2027-04-30.
	if first["metric_id"] != "pet_fdy_energy" || first["year"] != 2026.0 || first["target"] != "82" ||
		first["outcome"] != "met" || first["determined_on"] != "2027-03-10" || first["attestation_id"] == nil ||
		first["due_date"] != "2027-04-30" {
		t.Errorf("2026: %v", first)
	}
	if second["year"] != 2027.0 || second["target"] != "76" || second["outcome"] != "pending" ||
		second["determined_on"] != nil || second["attestation_id"] != nil {
		t.Errorf("2027: %v", second)
	}

	// The same statuses as the schedule's, for any as_of: the day before the
	// attestation was accepted, 2026 is still pending.
	for _, asOf := range []string{"", "?as_of=2027-03-09"} {
		sched := jsonBody(t, e.call(http.MethodGet, "/v1/loans/"+id+"/schedule"+asOf, "officer", ""))
		got := jsonBody(t, e.call(http.MethodGet, "/v1/loans/"+id+"/spts"+asOf, "auditor", ""))
		a, _ := json.Marshal(sched["spts"])
		b, _ := json.Marshal(got["spts"])
		if string(a) != string(b) || got["as_of"] != sched["as_of"] {
			t.Errorf("as_of %q: spts %s, schedule's %s", asOf, b, a)
		}
	}
	before := jsonBody(t, e.call(http.MethodGet, "/v1/loans/"+id+"/spts?as_of=2027-03-09", "verifier", ""))
	if o := before["spts"].([]any)[0].(map[string]any)["outcome"]; o != "pending" {
		t.Errorf("2026 as of 2027-03-09: %v", o)
	}

	for _, c := range []struct {
		path string
		want int
	}{
		{"/v1/loans/L-99999999/spts", http.StatusNotFound},
		{"/v1/loans/" + id + "/spts?as_of=2027-02-30", http.StatusBadRequest},
		{"/v1/loans/" + id + "/spts?as_of=2027-03-11", http.StatusUnprocessableEntity}, // after the business date
	} {
		if rec := e.call(http.MethodGet, c.path, "verifier", ""); rec.Code != c.want {
			t.Errorf("%s: %d, want %d: %s", c.path, rec.Code, c.want, rec.Body)
		}
	}
}

// A schedule read whose body is kept (scheduleBodies) answers the new
// state once an attestation changes it: the same bytes read twice, then
// 2026 met after the attestation, and the old date still as before.
func TestScheduleReadAfterAttestation(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	id := e.bookQuote("HZ-SPT-CACHE")
	e.setToday("2027-03-10")
	read := func(q string) string {
		t.Helper()
		rec := e.call(http.MethodGet, "/v1/loans/"+id+"/schedule"+q, "officer", "")
		if rec.Code != http.StatusOK {
			t.Fatalf("%d %s", rec.Code, rec.Body)
		}
		return rec.Body.String()
	}
	outcome := func(body string) any {
		var s map[string]any
		_ = json.Unmarshal([]byte(body), &s)
		return s["spts"].([]any)[0].(map[string]any)["outcome"]
	}
	before := read("")
	if again := read(""); again != before || outcome(before) != "pending" {
		t.Fatalf("two reads of one state differ, or 2026 is %v", outcome(before))
	}
	if rec := e.postAttestation(id, "spt-cache", attest(2026, "81", "")); rec.Code != http.StatusCreated {
		t.Fatalf("attestation: %d %s", rec.Code, rec.Body)
	}
	if after := read(""); after == before || outcome(after) != "met" {
		t.Errorf("after the attestation 2026 is %v", outcome(after))
	}
	if old := read("?as_of=2027-03-09"); outcome(old) != "pending" {
		t.Errorf("as of the day before, 2026 is %v", outcome(old))
	}
}
