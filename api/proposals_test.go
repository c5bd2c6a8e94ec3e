package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"tfpricing"
)

// amendmentBody restates the sample loan's 2025 baseline to 82 (at or
// better than the baseline level 83: advancing) from 2027-12-01, keeping
// the 2026 target (due 2027-04-30, past by then) and setting 2027's.
func amendmentBody(target2027 string) string {
	return fmt.Sprintf(`{"effective_from": "2027-12-01", "reason_code": "restatement", "reason": "2025 energy audit",
	 "kpis": [{"metric_id": "pet_fdy_energy", "baseline": {"year": 2025, "value": "82"},
	   "targets": [{"year": 2026, "value": "82"}, {"year": 2027, "value": %q}]}]}`, target2027)
}

func (e *testEnv) rates(id string) []string {
	e.t.Helper()
	rec := e.call(http.MethodGet, "/v1/loans/"+id+"/schedule", "officer", "")
	var out []string
	for _, l := range jsonBody(e.t, rec)["schedule"].([]any) {
		out = append(out, l.(map[string]any)["rate"].(string))
	}
	return out
}

func wantStatus(t *testing.T, rec interface{ Result() *http.Response }, want int, what string) {
	t.Helper()
	if got := rec.Result().StatusCode; got != want {
		t.Fatalf("%s: %d, want %d", what, got, want)
	}
}

// The sample loan (AA: S = 50; ESG 70: E = −10; grade 3: C = 0;
// transitioning: T = −10; LPR 3.00) pays 3.00 + (50 − 20)/100 = 3.3000 in
// every period. The amendment makes it advancing from 2027-12-01 (period
// 5): A = −20 − 10 = −30, rate 3.2000. The declassification from
// 2028-01-01 applies from period 6 (2028-03-01): T = 0, K = +15, A = +5,
// rate 3.5500.
func TestLifecycleThroughTheAPI(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	if _, err := e.book.LoadReference(context.Background(), tfpricing.Actor{KeyID: "system", Role: "system"}); err != nil {
		t.Fatal(err)
	}
	id := e.bookQuote("LIFE")
	path := "/v1/loans/" + id

	// Ineligible: the 2027 target 76 improves 82 by 7.3 %, under the 8 %.
	rec := e.call(http.MethodPost, path+"/amendments", "officer", amendmentBody("76"))
	wantStatus(t, rec, http.StatusUnprocessableEntity, "ineligible amendment")
	if !strings.Contains(rec.Body.String(), `"rule":"ambition","status":"fail"`) {
		t.Errorf("refusal without the failed check: %s", rec.Body)
	}
	rec = e.call(http.MethodPost, path+"/amendments", "approver", amendmentBody("75"))
	wantStatus(t, rec, http.StatusForbidden, "amendment by an approver")
	rec = e.call(http.MethodPost, path+"/amendments", "officer", amendmentBody("75"))
	wantStatus(t, rec, http.StatusCreated, "amendment")
	p := jsonBody(t, rec)
	pid := p["proposal_id"].(string)
	if p["status"] != "pending" || p["expires_on"] != "2026-12-27" || p["kind"] != "amendment" {
		t.Fatalf("proposal %v", p)
	}
	wantStatus(t, e.call(http.MethodPost, "/v1/proposals/"+pid+"/approve", "officer", ""), http.StatusForbidden, "approval by an officer")
	rec = e.call(http.MethodPost, "/v1/proposals/"+pid+"/approve", "approver", "")
	wantStatus(t, rec, http.StatusOK, "approval")
	wantStatus(t, e.call(http.MethodPost, "/v1/proposals/"+pid+"/approve", "approver", ""), http.StatusConflict, "second approval")
	want := []string{"3.3000", "3.3000", "3.3000", "3.3000", "3.2000", "3.2000", "3.2000", "3.2000", "3.2000", "3.2000", "3.2000", "3.2000"}
	if got := e.rates(id); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("rates after the amendment %v, want %v", got, want)
	}

	// Declassification: rejected once, then approved.
	decl := `{"effective_from": "2028-01-01", "ground": "misreporting", "reason": "2026 figures misstated"}`
	rec = e.call(http.MethodPost, path+"/declassification", "officer", decl)
	wantStatus(t, rec, http.StatusCreated, "declassification")
	d1 := jsonBody(t, rec)["proposal_id"].(string)
	wantStatus(t, e.call(http.MethodPost, "/v1/proposals/"+d1+"/reject", "approver", `{}`), http.StatusBadRequest, "reject without reason")
	rec = e.call(http.MethodPost, "/v1/proposals/"+d1+"/reject", "approver", `{"reason": "not proven"}`)
	wantStatus(t, rec, http.StatusOK, "rejection")
	if r := jsonBody(t, rec); r["status"] != "rejected" || r["reason"] != "not proven" {
		t.Errorf("rejected proposal %v", r)
	}
	rec = e.call(http.MethodPost, path+"/declassification", "officer", decl)
	d2 := jsonBody(t, rec)["proposal_id"].(string)
	wantStatus(t, e.call(http.MethodPost, "/v1/proposals/"+d2+"/approve", "approver", ""), http.StatusOK, "declassification approval")
	want = append(want[:5], "3.5500", "3.5500", "3.5500", "3.5500", "3.5500", "3.5500", "3.5500")
	if got := e.rates(id); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("rates after the declassification %v, want %v", got, want)
	}

	rec = e.call(http.MethodPost, path+"/second-party-opinion", "officer",
		`{"provider": "中诚信绿金", "date": "2026-11-20", "conclusion": "aligned", "report_sha256": "`+strings.Repeat("ab", 32)+`"}`)
	wantStatus(t, rec, http.StatusCreated, "second-party opinion")

	rec = e.call(http.MethodGet, path+"/plans", "auditor", "")
	wantStatus(t, rec, http.StatusOK, "plans")
	plans := jsonBody(t, rec)
	vs := plans["versions"].([]any)
	if len(vs) != 2 || vs[1].(map[string]any)["tier"] != "advancing" || vs[1].(map[string]any)["decision_id"] == nil ||
		plans["declassification"] == nil || plans["second_party_opinion"] == nil {
		t.Errorf("plans %v", plans)
	}
	rec = e.call(http.MethodGet, "/v1/proposals?status=rejected&loan_id="+id, "auditor", "")
	if items := jsonBody(t, rec)["items"].([]any); len(items) != 1 || items[0].(map[string]any)["proposal_id"] != d1 {
		t.Errorf("rejected proposals %v", items)
	}
	wantStatus(t, e.call(http.MethodGet, "/v1/proposals?status=done", "auditor", ""), http.StatusBadRequest, "bad status filter")
	rec = e.call(http.MethodGet, "/v1/proposals?limit=2", "approver", "")
	if b := jsonBody(t, rec); len(b["items"].([]any)) != 2 || b["next_cursor"] == nil {
		t.Errorf("first page %v", b)
	}

	// Every decision replays and the chain verifies.
	rec = e.call(http.MethodGet, "/v1/decisions?limit=500", "auditor", "")
	kinds := map[string]bool{}
	for _, d := range jsonBody(t, rec)["items"].([]any) {
		dm := d.(map[string]any)
		kinds[dm["kind"].(string)] = true
		if dm["kind"] == "quote" {
			continue
		}
		r := e.call(http.MethodPost, "/v1/decisions/"+dm["decision_id"].(string)+"/replay", "auditor", "")
		if r.Code != http.StatusOK || jsonBody(t, r)["match"] != true {
			t.Errorf("replay of %v: %d %s", dm["kind"], r.Code, r.Body)
		}
	}
	for _, k := range []string{"proposal", "proposal_approval", "proposal_rejection", "amendment", "declassification", "second_party_opinion"} {
		if !kinds[k] {
			t.Errorf("no %s decision", k)
		}
	}
	if v := jsonBody(t, e.call(http.MethodGet, "/v1/audit/verify", "auditor", "")); v["ok"] != true {
		t.Errorf("verify %v", v)
	}
}

// Eight approvers' requests for one proposal at once: exactly one 200, the
// others 409, and one amendment decision.
func TestConcurrentApprovalsThroughTheAPI(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	id := e.bookQuote("RACE")
	rec := e.call(http.MethodPost, "/v1/loans/"+id+"/amendments", "officer", amendmentBody("75"))
	wantStatus(t, rec, http.StatusCreated, "amendment")
	pid := jsonBody(t, rec)["proposal_id"].(string)
	codes := make(chan int, 8)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() { codes <- e.call(http.MethodPost, "/v1/proposals/"+pid+"/approve", "approver", "").Code })
	}
	wg.Wait()
	close(codes)
	count := map[int]int{}
	for c := range codes {
		count[c]++
	}
	if count[http.StatusOK] != 1 || count[http.StatusConflict] != 7 {
		t.Errorf("statuses %v, want one 200 and seven 409", count)
	}
	rec = e.call(http.MethodGet, "/v1/decisions?kind=amendment", "auditor", "")
	if n := len(jsonBody(t, rec)["items"].([]any)); n != 1 {
		t.Errorf("%d amendment decisions, want 1", n)
	}
}

// decision_id follows the proposal: its own decision while pending, then
// the rejection's.
func TestProposalDecisionID(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	id := e.bookQuote("DID")
	p := jsonBody(t, e.call(http.MethodPost, "/v1/loans/"+id+"/declassification", "officer",
		`{"effective_from": "2027-01-01", "ground": "other", "reason": "r"}`))
	if p["decision_id"] == nil || p["decision_id"] != p["proposal_decision_id"] {
		t.Fatalf("pending proposal %v", p)
	}
	d := jsonBody(t, e.call(http.MethodGet, "/v1/decisions/"+p["decision_id"].(string), "auditor", ""))
	if d["kind"] != "proposal" {
		t.Errorf("decision %v, want kind proposal", d["kind"])
	}
	r := jsonBody(t, e.call(http.MethodPost, "/v1/proposals/"+p["proposal_id"].(string)+"/reject", "approver", `{"reason": "no"}`))
	d = jsonBody(t, e.call(http.MethodGet, "/v1/decisions/"+r["decision_id"].(string), "auditor", ""))
	if d["kind"] != "proposal_rejection" || r["decided_by"].(map[string]any)["role"] != "approver" {
		t.Errorf("rejected proposal %v, decision %v", r, d["kind"])
	}
}
