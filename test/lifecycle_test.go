package test

import (
	"fmt"
	"strings"
	"testing"
)

// appendixTerms is the Appendix A loan of DESIGN.md, to be booked from full
// terms as of 2023-06-25 (migration of an existing loan).
const appendixTerms = `{"external_ref": "HZ-2023-007", "terms": {
 "borrower": {"name": "湖州某化纤有限公司", "uscc": "91350100M000100Y43", "industry_code": "C2822",
   "just_transition_score": 72, "credit_rating": "AA", "esg_score": 70, "carbon_efficiency_grade": 3},
 "pathway_id": "C28-P01",
 "kpis": [{"metric_id": "pet_fdy_energy", "baseline": {"year": 2022, "value": "88"},
   "targets": [{"year": 2023, "value": "80"}, {"year": 2024, "value": "74"}, {"year": 2025, "value": "68"}]}],
 "facility": {"amount": "50000000.00", "currency": "CNY", "start_date": "2023-07-01", "tenor_months": 36,
   "repayment": "equal_principal", "payment_frequency": "quarterly"},
 "as_of": "2023-06-25"}}`

func attestation(year int, value, acceptedOn string) string {
	acc := ""
	if acceptedOn != "" {
		acc = fmt.Sprintf(`"accepted_on": %q, `, acceptedOn)
	}
	return fmt.Sprintf(`{"metric_id": "pet_fdy_energy", "year": %d, "value": %q, %s"verifier": {"name": "浙江某认证有限公司",
	  "accreditation": "CNAS C001-M"}, "evidence_sha256": "%s"}`, year, value, acc, strings.Repeat("ab", 32))
}

// expectLines checks the rate and interest of every period against the
// figures worked by test/golden/lifecycle.py (an independent decimal
// implementation; its output for each step is quoted here).
func expectLines(t *testing.T, step string, sched map[string]any, rates, interests []string, total string) {
	t.Helper()
	lines := sched["schedule"].([]any)
	if len(lines) != 12 {
		t.Fatalf("%s: %d lines", step, len(lines))
	}
	for i, l := range lines {
		l := l.(map[string]any)
		if l["rate"] != rates[i] || l["interest"] != interests[i] {
			t.Errorf("%s: period %d rate %v interest %v, want %s %s", step, i+1, l["rate"], l["interest"], rates[i], interests[i])
		}
	}
	if sched["total_interest"] != total {
		t.Errorf("%s: total %v, want %s", step, sched["total_interest"], total)
	}
}

// TestLoanLife books the Appendix A loan and lives through its events, one
// restart of the real binary per business date (TFP_TODAY), over one data
// file, checking the schedule after each step.
func TestLoanLife(t *testing.T) {
	dir := t.TempDir()
	at := func(today string) *proc { return start(t, dir, "TFP_TODAY="+today) }
	post := func(p *proc, path, key, body string) map[string]any {
		t.Helper()
		status, out := p.doKey("POST", path, "verifier", key, body)
		if status != 201 {
			t.Fatalf("POST %s: %d %v", path, status, out)
		}
		return out
	}

	// Step 1, 2023-06-25: booked; every period on the 3.55 fixing, A = −20, 3.8500.
	p := at("2023-06-25")
	status, loan, _ := p.do("POST", "/v1/loans", "officer", appendixTerms)
	if status != 201 {
		t.Fatalf("booking: %d %v", status, loan)
	}
	id := loan["id"].(string)
	expectLines(t, "booked", loan["schedule"].(map[string]any),
		rep("3.8500", 12),
		[]string{"491944.44", "450949.07", "405497.69", "364947.92", "327962.96", "286967.59", "240625.00", "202748.84", "163981.48", "122986.11", "80208.33", "40549.77"},
		"3179369.20")
	p.stop()

	// Step 2, 2024-03-15: 2023 attested 79 ≤ 80, on time (due 2024-04-29) → met, −10 bp
	// from period 4; anniversary 2024-07-01 reads the 3.45 in force on 2024-03-15.
	p = at("2024-03-15")
	res := post(p, "/v1/loans/"+id+"/attestations", "k-2023", attestation(2023, "79", ""))
	if a := res["attestation"].(map[string]any); a["status"] != "on_time" || res["outcome"] != "met" {
		t.Errorf("2023 attestation: %v outcome %v", a, res["outcome"])
	}
	expectLines(t, "2023 met", res["schedule"].(map[string]any),
		append(rep("3.8500", 3), append([]string{"3.7500"}, rep("3.6500", 8)...)...),
		[]string{"491944.44", "450949.07", "405497.69", "355468.75", "310925.93", "272060.19", "228125.00", "192216.43", "155462.96", "116597.22", "76041.67", "38443.29"},
		"3093732.64")
	p.stop()

	// Step 3, 2025-03-01: 2024 attested 76 > 74 → missed, +5 bp from period 8; the
	// 2025-07-01 anniversary reads the 3.10 in force on 2025-03-01.
	p = at("2025-03-01")
	res = post(p, "/v1/loans/"+id+"/attestations", "k-2024", attestation(2024, "76", "2025-03-01"))
	if res["outcome"] != "missed" {
		t.Errorf("2024 attestation outcome %v", res["outcome"])
	}
	expectLines(t, "2024 missed", res["schedule"].(map[string]any),
		[]string{"3.8500", "3.8500", "3.8500", "3.7500", "3.6500", "3.6500", "3.6500", "3.8000", "3.4500", "3.4500", "3.4500", "3.4500"},
		[]string{"491944.44", "450949.07", "405497.69", "355468.75", "310925.93", "272060.19", "228125.00", "200115.74", "146944.44", "110208.33", "71875.00", "36336.81"},
		"3080451.39")
	p.stop()

	// Step 4, 2025-06-15: a correction of 2024 (73 ≤ 74 → met), after the due date
	// 2025-04-30 but still effective: −10 from period 9 (2025-07-01), whose LPR is
	// now the 3.00 of 2025-05-20 → 3.2000.
	p = at("2025-06-15")
	res = post(p, "/v1/loans/"+id+"/attestations", "k-2024-fix", attestation(2024, "73", ""))
	if a := res["attestation"].(map[string]any); a["status"] != "correction" || res["outcome"] != "met" {
		t.Errorf("correction: %v outcome %v", a, res["outcome"])
	}
	p.stop()

	// Step 5, 2025-06-25: the admin publishes 2.90/3.40 effective 2025-06-24; the
	// 2025-07-01 anniversary now reads 2.90 → 3.1000; one loan repriced.
	p = at("2025-06-25")
	status, pub, _ := p.do("POST", "/v1/benchmarks/lpr", "admin", `{"effective_date": "2025-06-24", "one_year": "2.90", "five_year": "3.40"}`)
	if status != 201 || pub["repriced"] != 1.0 || pub["changed"] != 1.0 {
		t.Fatalf("publishing: %d %v", status, pub)
	}
	_, sched, _ := p.do("GET", "/v1/loans/"+id+"/schedule", "officer", nil)
	wantRates := []string{"3.8500", "3.8500", "3.8500", "3.7500", "3.6500", "3.6500", "3.6500", "3.8000", "3.1000", "3.1000", "3.1000", "3.1000"}
	wantInterest := []string{"491944.44", "450949.07", "405497.69", "355468.75", "310925.93", "272060.19", "228125.00", "200115.74", "132037.04", "99027.78", "64583.33", "32650.46"}
	expectLines(t, "LPR 2.90", sched, wantRates, wantInterest, "3043385.42")
	p.stop()

	// Step 6, 2026-05-02: 2025 was never reported; its due date 2026-04-30 passed, the
	// start-up sweep determines not_reported on 2026-05-01. No period starts after
	// that date, so the rates stay as they were.
	p = at("2026-05-02")
	_, sched, _ = p.do("GET", "/v1/loans/"+id+"/schedule", "auditor", nil)
	expectLines(t, "2025 not reported", sched, wantRates, wantInterest, "3043385.42")
	spts := sched["spts"].([]any)
	want := []string{"2023 met 2024-03-15", "2024 met 2025-06-15", "2025 not_reported 2026-05-01"}
	for i, s := range spts {
		s := s.(map[string]any)
		if got := fmt.Sprintf("%v %v %v", s["year"], s["outcome"], s["determined_on"]); got != want[i] {
			t.Errorf("spt %d: %s, want %s", i, got, want[i])
		}
	}
	// The schedule as it stood before the 2023 attestation: period 4 at 3.8500.
	_, old, _ := p.do("GET", "/v1/loans/"+id+"/schedule?as_of=2024-03-14", "officer", nil)
	if l4 := old["schedule"].([]any)[3].(map[string]any); l4["rate"] != "3.8500" || l4["interest"] != "364947.92" {
		t.Errorf("as of 2024-03-14, period 4: %v", l4)
	}
	_, atts, _ := p.do("GET", "/v1/loans/"+id+"/attestations", "verifier", nil)
	if items := atts["items"].([]any); len(items) != 3 {
		t.Errorf("attestations: %v", atts)
	}

	// Every decision of the loan's life replays and the chain verifies, over
	// HTTP and with the offline tools on the stopped service's data file.
	checkAuditTrail(t, p)
}

func rep(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}
