package test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// lifecycleConfig turns four eyes on and lists one accredited verifier,
// accredited from 2027-01-01 to 2028-02-29.
func lifecycleConfig(t *testing.T, dir string) string {
	t.Helper()
	list := filepath.Join(dir, "verifiers.yaml")
	if err := os.WriteFile(list, []byte(`verifiers:
  - {name: 浙江某认证有限公司, accreditation: CNAS C001-M, valid_from: "2027-01-01", valid_to: "2028-02-29"}
`), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := devConfig(t, dir, "")
	raw, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(raw), "four_eyes_reference_data: false", "four_eyes_reference_data: true", 1)
	text = strings.Replace(text, `verifiers_file: ""`, fmt.Sprintf("verifiers_file: %q", list), 1)
	if err := os.WriteFile(cfg, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return cfg
}

func (p *proc) rates(id string) string {
	p.t.Helper()
	_, s, _ := p.do(http.MethodGet, "/v1/loans/"+id+"/schedule", "officer", nil)
	var out []string
	for _, l := range s["schedule"].([]any) {
		out = append(out, l.(map[string]any)["rate"].(string))
	}
	return strings.Join(out, " ")
}

func (p *proc) must(status int, method, path, role string, body any) map[string]any {
	p.t.Helper()
	got, out, _ := p.do(method, path, role, body)
	if got != status {
		p.t.Fatalf("%s %s as %s: %d, want %d: %v", method, path, role, got, status, out)
	}
	return out
}

// TestLifecycleEndToEnd runs every lifecycle step through the real binary
// with four eyes on: an LPR fixing proposed by the admin and published only
// by the approver's confirmation, an amendment, a declassification, a
// second-party opinion; then, on a later day, the accredited verifiers'
// window: an attestation accepted the day after the body's accreditation
// ended is refused, one accepted on its last day is taken.
//
// The loan (crashTerms: AA S = 50, ESG 70 E = −10, transitioning T = −10,
// 8 quarterly periods from 2026-12-01) pays 3.00 + 0.30 = 3.3000. The
// approved fixing of 2026-11-20 (one_year 2.90) is in force on 2026-11-27:
// 2.90 + 0.30 = 3.2000. The amendment (advancing from 2027-12-01, period
// 5): A = −30, 2.90 + 0.20 = 3.1000. The declassification from 2028-06-01
// (period 7): T = 0, K = +15, A = +5, 2.90 + 0.55 = 3.4500.
func TestLifecycleEndToEnd(t *testing.T) {
	dir := t.TempDir()
	env := []string{"TFP_TODAY=2026-11-27", "TFP_CONFIG=" + lifecycleConfig(t, dir), "TFP_DEV=1"}
	p := start(t, dir, env...)
	id := p.must(http.StatusCreated, http.MethodPost, "/v1/loans", "officer", crashTerms)["id"].(string)
	if got := p.rates(id); got != strings.TrimSpace(strings.Repeat("3.3000 ", 8)) {
		t.Fatalf("booked rates %s", got)
	}

	fixing := `{"effective_date": "2026-11-20", "one_year": "2.90", "five_year": "3.40"}`
	lpr := p.must(http.StatusAccepted, http.MethodPost, "/v1/benchmarks/lpr", "admin", fixing)
	if lpr["kind"] != "lpr_fixing" || lpr["status"] != "pending" {
		t.Fatalf("four-eyes fixing: %v", lpr)
	}
	if got := p.rates(id); !strings.HasPrefix(got, "3.3000") {
		t.Errorf("a pending fixing repriced: %s", got)
	}
	p.must(http.StatusForbidden, http.MethodPost, "/v1/proposals/"+lpr["proposal_id"].(string)+"/approve", "admin", nil)
	p.must(http.StatusOK, http.MethodPost, "/v1/proposals/"+lpr["proposal_id"].(string)+"/approve", "approver", nil)
	if got := p.rates(id); got != strings.TrimSpace(strings.Repeat("3.2000 ", 8)) {
		t.Errorf("rates after the approved fixing %s", got)
	}

	amend := `{"effective_from": "2027-12-01", "reason_code": "restatement", "reason": "2025 energy audit",
	 "kpis": [{"metric_id": "pet_fdy_energy", "baseline": {"year": 2025, "value": "82"},
	   "targets": [{"year": 2026, "value": "82"}, {"year": 2027, "value": "75"}]}]}`
	a := p.must(http.StatusCreated, http.MethodPost, "/v1/loans/"+id+"/amendments", "officer", amend)
	p.must(http.StatusOK, http.MethodPost, "/v1/proposals/"+a["proposal_id"].(string)+"/approve", "approver", nil)
	// Two more amendments: one rejected, one left pending (it expires).
	later := strings.Replace(amend, "2027-12-01", "2028-03-01", 1)
	rejected := p.must(http.StatusCreated, http.MethodPost, "/v1/loans/"+id+"/amendments", "officer", later)["proposal_id"].(string)
	p.must(http.StatusOK, http.MethodPost, "/v1/proposals/"+rejected+"/reject", "approver", `{"reason": "no new evidence"}`)
	pending := p.must(http.StatusCreated, http.MethodPost, "/v1/loans/"+id+"/amendments", "officer", later)["proposal_id"].(string)
	d := p.must(http.StatusCreated, http.MethodPost, "/v1/loans/"+id+"/declassification", "officer",
		`{"effective_from": "2028-06-01", "ground": "verifier_withdrawn", "reason": "the verifier withdrew its report"}`)
	p.must(http.StatusOK, http.MethodPost, "/v1/proposals/"+d["proposal_id"].(string)+"/approve", "approver", nil)
	p.must(http.StatusCreated, http.MethodPost, "/v1/loans/"+id+"/second-party-opinion", "officer",
		`{"provider": "中诚信绿金", "date": "2026-11-20", "conclusion": "partially_aligned", "report_sha256": "`+strings.Repeat("cd", 32)+`"}`)
	if got, want := p.rates(id), "3.2000 3.2000 3.2000 3.2000 3.1000 3.1000 3.4500 3.4500"; got != want {
		t.Errorf("rates after amendment and declassification %s, want %s", got, want)
	}
	plans := p.must(http.StatusOK, http.MethodGet, "/v1/loans/"+id+"/plans", "approver", nil)
	if len(plans["versions"].([]any)) != 2 || plans["declassification"] == nil || plans["second_party_opinion"] == nil {
		t.Errorf("plans %v", plans)
	}
	if err := p.stop(); err != nil {
		t.Fatal(err)
	}

	// 2028-03-10: the body's accreditation ran to 2028-02-29; the pending
	// amendment expired on 2026-12-27 and the start-up sweep records it.
	p = start(t, dir, append(env[1:], "TFP_TODAY=2028-03-10")...)
	if got := p.must(http.StatusOK, http.MethodGet, "/v1/proposals/"+pending, "auditor", nil); got["status"] != "expired" {
		t.Errorf("pending amendment after its date: %v", got["status"])
	}
	p.must(http.StatusConflict, http.MethodPost, "/v1/proposals/"+pending+"/approve", "approver", nil)
	if got := p.must(http.StatusOK, http.MethodGet, "/v1/proposals/"+rejected, "officer", nil); got["status"] != "rejected" {
		t.Errorf("rejected amendment: %v", got["status"])
	}
	att := func(on, name, key string) (int, map[string]any) {
		body := fmt.Sprintf(`{"metric_id": "pet_fdy_energy", "year": 2027, "value": "74", "accepted_on": %q,
		  "verifier": {"name": %q, "accreditation": "CNAS C001-M"}, "evidence_sha256": %q}`, on, name, strings.Repeat("ef", 32))
		return p.doKey(http.MethodPost, "/v1/loans/"+id+"/attestations", "verifier", key, body)
	}
	status, out := att("2028-03-01", "浙江某认证有限公司", "late-window")
	if status != http.StatusUnprocessableEntity || !strings.Contains(fmt.Sprint(out["errors"]), "verifier.accreditation") {
		t.Errorf("attestation accepted the day after the accreditation ended: %d %v", status, out)
	}
	status, out = att("2028-02-29", "某未认可机构", "unknown-body")
	if status != http.StatusUnprocessableEntity || !strings.Contains(fmt.Sprint(out["errors"]), "verifier.name") {
		t.Errorf("attestation by a body not on the list: %d %v", status, out)
	}
	if status, out = att("2028-02-29", "浙江某认证有限公司", "in-window"); status != http.StatusCreated {
		t.Errorf("attestation on the accreditation's last day: %d %v", status, out)
	}
	checkAuditTrail(t, p)
}
