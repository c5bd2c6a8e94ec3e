package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// lateTerms is a quote body for migration ("terms"): the loan of the golden
// cases late_certificates_2026_1_ignore / _2027_1_cure (test/golden/cases.py)
// — AA, transitioning, ESG 70, grade 3, CNY 36,000,000.00 from 2027-01-15,
// 36 months quarterly, equal_principal, pet_fdy_energy 2027: 80, 2028: 76 —
// priced as of asOf.
func lateTerms(asOf string) string {
	return fmt.Sprintf(`{"external_ref": "HZ-%s", "terms": {"borrower": {"name": "湖州某化纤有限公司",
  "uscc": "91350100M000100Y43", "industry_code": "C2822", "just_transition_score": 72, "obsolete_capacity": false,
  "credit_rating": "AA", "esg_score": 70, "carbon_efficiency_grade": 3},
 "pathway_id": "C28-P01",
 "kpis": [{"metric_id": "pet_fdy_energy", "baseline": {"year": 2026, "value": "88"},
           "targets": [{"year": 2027, "value": "80"}, {"year": 2028, "value": "76"}]}],
 "facility": {"amount": "36000000.00", "currency": "CNY", "start_date": "2027-01-15", "tenor_months": 36,
              "repayment": "equal_principal", "payment_frequency": "quarterly"},
 "as_of": %q}}`, asOf, asOf)
}

// Two loans with the same terms and the same attestations, one priced as of
// 2026-12-20 (policy 2026.1: grace 120, ignore), one as of 2027-01-05
// (2027.1: grace 181, cure). Each keeps its policy for its whole life:
// attestation statuses, schedules and the sweep follow it. The rates and
// totals are those golden.py works out for the two golden cases.
func TestLoansKeepTheirPolicy(t *testing.T) {
	e := newEnv(t, "2027-01-05")
	e.storeReference()
	book := func(asOf string) string {
		rec := e.call(http.MethodPost, "/v1/loans", "officer", lateTerms(asOf))
		if rec.Code != http.StatusCreated {
			t.Fatalf("migration as of %s: %d %s", asOf, rec.Code, rec.Body)
		}
		return jsonBody(t, rec)["id"].(string)
	}
	// GET /v1/policy shows late_attestation for both, though 2026.1's
	// canonical form (and digest) leaves the default out.
	for asOf, want := range map[string]string{"2026-12-31": "2026.1 120 ignore", "2027-01-01": "2027.1 181 cure"} {
		p := jsonBody(t, e.call(http.MethodGet, "/v1/policy?as_of="+asOf, "analyst", ""))
		r := p["ratchet"].(map[string]any)
		if got := fmt.Sprintf("%v %v %v", p["version"], r["grace_days"], r["late_attestation"]); got != want {
			t.Errorf("policy on %s: %s, want %s", asOf, got, want)
		}
	}
	old, cure := book("2026-12-20"), book("2027-01-05")
	for id, want := range map[string]string{old: "2026.1", cure: "2027.1"} {
		loan := jsonBody(t, e.call(http.MethodGet, "/v1/loans/"+id, "officer", ""))
		if v := loan["policy"].(map[string]any)["version"]; v != want {
			t.Errorf("loan %s: policy %v, want %s", id, v, want)
		}
	}

	e.setToday("2029-12-31")
	events := []struct {
		year            int
		value, accepted string
		oldSt, cureSt   string // status/outcome under 2026.1 and 2027.1
	}{
		// due(2027): 2028-04-29 under 2026.1, 2028-06-29 under 2027.1.
		{2027, "78", "2028-08-10", "late/<nil>", "late/met"},
		{2027, "81", "2028-11-20", "late/<nil>", "late/missed"},
		// due(2028): 2029-04-30 under 2026.1, 2029-06-30 under 2027.1.
		{2028, "75", "2029-05-20", "late/<nil>", "on_time/met"},
	}
	for i, ev := range events {
		for id, want := range map[string]string{old: ev.oldSt, cure: ev.cureSt} {
			rec := e.postAttestation(id, fmt.Sprintf("k-%s-%d", id, i), attest(ev.year, ev.value, ev.accepted))
			if rec.Code != http.StatusCreated {
				t.Fatalf("attestation %d on %s: %d %s", i, id, rec.Code, rec.Body)
			}
			a := jsonBody(t, rec)["attestation"].(map[string]any)
			if got := fmt.Sprintf("%v/%v", a["status"], a["outcome"]); got != want {
				t.Errorf("attestation %d on %s: %s, want %s", i, id, got, want)
			}
		}
	}

	want := map[string]struct{ rates, total string }{
		old:  {"3.3000 3.3000 3.3000 3.3000 3.3000 3.3000 3.3500 3.3500 3.3500 3.3500 3.3500 3.3500", "1964629.17"},
		cure: {"3.3000 3.3000 3.3000 3.3000 3.3000 3.3000 3.3500 3.2000 3.3500 3.3500 3.2000 3.2000", "1955429.17"},
	}
	check := func(when string) {
		for id, w := range want {
			s := jsonBody(t, e.call(http.MethodGet, "/v1/loans/"+id+"/schedule?as_of=2029-12-31", "officer", ""))
			var rates []string
			for _, l := range s["schedule"].([]any) {
				rates = append(rates, l.(map[string]any)["rate"].(string))
			}
			if got := strings.Join(rates, " "); got != w.rates || s["total_interest"] != w.total {
				t.Errorf("%s, loan %s: rates %s total %v\nwant rates %s total %s", when, id, got, s["total_interest"], w.rates, w.total)
			}
		}
	}
	check("after the attestations")
	if rec := e.call(http.MethodPost, "/v1/admin/sweep", "admin", ""); rec.Code != http.StatusOK {
		t.Fatalf("sweep: %d %s", rec.Code, rec.Body)
	}
	check("after the sweep")

	// Every decision replays under the policy it recorded.
	for seq := 1; ; seq++ {
		rec := e.call(http.MethodPost, fmt.Sprintf("/v1/decisions/%d/replay", seq), "auditor", "")
		if rec.Code == http.StatusNotFound {
			if seq < 9 {
				t.Errorf("only %d decisions", seq-1)
			}
			break
		}
		if b := jsonBody(t, rec); rec.Code != http.StatusOK || b["match"] != true {
			t.Errorf("replay of decision %d: %d %s", seq, rec.Code, rec.Body)
		}
	}
}
