package api_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
)

// bookQuote prices the sample quote and books it, returning the loan id.
func (e *testEnv) bookQuote(ref string) string {
	e.t.Helper()
	rec := e.call(http.MethodPost, "/v1/quotes", "officer", sampleQuote)
	if rec.Code != http.StatusCreated {
		e.t.Fatalf("quote: %d %s", rec.Code, rec.Body)
	}
	qid := jsonBody(e.t, rec)["quote_id"].(string)
	rec = e.call(http.MethodPost, "/v1/loans", "officer", fmt.Sprintf(`{"quote_id": %q, "external_ref": %q}`, qid, ref))
	if rec.Code != http.StatusCreated {
		e.t.Fatalf("booking: %d %s", rec.Code, rec.Body)
	}
	return jsonBody(e.t, rec)["id"].(string)
}

func attest(year int, value, acceptedOn string) string {
	acc := ""
	if acceptedOn != "" {
		acc = fmt.Sprintf(`"accepted_on": %q, `, acceptedOn)
	}
	return fmt.Sprintf(`{"metric_id": "pet_fdy_energy", "year": %d, "value": %q, %s"verifier": {"name": "浙江某认证有限公司",
	  "accreditation": "CNAS C001-M"}, "evidence_sha256": "%s"}`, year, value, acc, strings.Repeat("0f", 32))
}

// postAttestation sends an attestation as the verifier with an idempotency key.
func (e *testEnv) postAttestation(loanID, key, body string) *httptest.ResponseRecorder {
	e.t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/v1/loans/"+loanID+"/attestations", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer tfp-dev-verifier")
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	rec := httptest.NewRecorder()
	e.srv.ServeHTTP(rec, req)
	return rec
}

func TestBooking(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	id := e.bookQuote("HZ-2026-001")

	rec := e.call(http.MethodGet, "/v1/loans/"+id, "auditor", "")
	loan := jsonBody(t, rec)
	if rec.Code != 200 || loan["external_ref"] != "HZ-2026-001" || loan["tier"] != "transitioning" {
		t.Fatalf("loan: %d %v", rec.Code, loan)
	}
	// The booked schedule is the quote's current projection: 3.3000 throughout,
	// period 1 interest 412,500.00 (see TestQuote for the hand computation).
	sched := loan["schedule"].(map[string]any)
	if l := sched["schedule"].([]any)[0].(map[string]any); l["rate"] != "3.3000" || l["interest"] != "412500.00" {
		t.Errorf("booked period 1: %v", l)
	}

	t.Run("a quote books once", func(t *testing.T) {
		qid := loan["quote_id"].(string)
		rec := e.call(http.MethodPost, "/v1/loans", "officer", fmt.Sprintf(`{"quote_id": %q}`, qid))
		if rec.Code != http.StatusConflict {
			t.Errorf("second booking: %d %s", rec.Code, rec.Body)
		}
	})
	t.Run("an expired quote is refused", func(t *testing.T) {
		rec := e.call(http.MethodPost, "/v1/quotes", "officer", sampleQuote)
		qid := jsonBody(t, rec)["quote_id"].(string)
		e.setToday("2026-12-28") // valid until 2026-11-27 + 30 days = 2026-12-27
		defer e.setToday("2026-11-27")
		rec = e.call(http.MethodPost, "/v1/loans", "officer", fmt.Sprintf(`{"quote_id": %q}`, qid))
		if rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("expired: %d %s", rec.Code, rec.Body)
		}
	})
	t.Run("pagination", func(t *testing.T) {
		e.bookQuote("HZ-2")
		e.bookQuote("HZ-3")
		var refs []string
		cursor := ""
		for pages := 0; pages < 5; pages++ {
			rec := e.call(http.MethodGet, "/v1/loans?limit=2"+cursor, "officer", "")
			body := jsonBody(t, rec)
			for _, it := range body["items"].([]any) {
				refs = append(refs, it.(map[string]any)["external_ref"].(string))
			}
			next, ok := body["next_cursor"].(string)
			if !ok {
				break
			}
			cursor = "&cursor=" + next
		}
		if !slices.Equal(refs, []string{"HZ-2026-001", "HZ-2", "HZ-3"}) {
			t.Errorf("pages gave %v", refs)
		}
	})
	t.Run("400 and 404 leave the store unchanged", func(t *testing.T) {
		before := e.digest()
		for _, tc := range []struct {
			body  string
			field string
		}{
			{`{}`, "quote_id"},
			{`{"quote_id": "Q-1", "terms": {}}`, "quote_id"},
			{`{"terms": {"pathway_id": "C28-P01"}}`, "terms.borrower"},
			{`{"quote_id": "Q-1", "colour": 1}`, "colour"},
		} {
			rec := e.call(http.MethodPost, "/v1/loans", "officer", tc.body)
			if rec.Code != http.StatusBadRequest || !slices.Contains(problemFields(t, rec), tc.field) {
				t.Errorf("%s: %d %s", tc.body, rec.Code, rec.Body)
			}
		}
		if rec := e.call(http.MethodPost, "/v1/loans", "officer", `{"quote_id": "Q-99999999"}`); rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("unknown quote: %d", rec.Code)
		}
		if rec := e.call(http.MethodGet, "/v1/loans/L-404", "officer", ""); rec.Code != http.StatusNotFound {
			t.Errorf("unknown loan: %d", rec.Code)
		}
		if after := e.digest(); after != before {
			t.Error("a refused request changed the data file")
		}
	})
}

func TestAttestations(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	id := e.bookQuote("HZ-A")
	parallel := []string{e.bookQuote("P1"), e.bookQuote("P2"), e.bookQuote("P3")}
	e.setToday("2027-03-10")
	var firstAnswer string // key-1's answer

	t.Run("400 names every field and changes nothing", func(t *testing.T) {
		before := e.digest()
		rec := e.postAttestation(id, "", `{"metric_id": "", "year": 1800, "value": "x", "verifier": {}, "evidence_sha256": "zz"}`)
		got := problemFields(t, rec)
		for _, f := range []string{"Idempotency-Key", "metric_id", "year", "value", "verifier.name", "evidence_sha256"} {
			if !slices.Contains(got, f) {
				t.Errorf("field %s not named: %v", f, got)
			}
		}
		for _, body := range []string{
			attest(2026, "80", "2027-03-11"), // after the business date
			attest(2026, "80", "2026-12-31"), // before 1 January of Y+1
			attest(2030, "80", ""),           // no SPT that year
			strings.Replace(attest(2026, "80", ""), "pet_fdy_energy", "pet_poy_energy", 1),
		} {
			if rec := e.postAttestation(id, "k-bad", body); rec.Code != http.StatusUnprocessableEntity {
				t.Errorf("%s: %d %s", body, rec.Code, rec.Body)
			}
		}
		if e.digest() != before {
			t.Error("refused attestations changed the data file")
		}
	})

	t.Run("met, then idempotent replay and mismatch", func(t *testing.T) {
		// 2026 SPT is 82; 81 is met. Accepted 2027-03-10, on time (due 2027-04-30):
		// periods starting on or after 2027-03-10 (period 3, 2027-06-01) get −10 → 3.2000.
		body := attest(2026, "81", "")
		rec := e.postAttestation(id, "key-1", body)
		if rec.Code != http.StatusCreated {
			t.Fatalf("%d %s", rec.Code, rec.Body)
		}
		res := jsonBody(t, rec)
		lines := res["schedule"].(map[string]any)["schedule"].([]any)
		if res["outcome"] != "met" || lines[1].(map[string]any)["rate"] != "3.3000" || lines[2].(map[string]any)["rate"] != "3.2000" {
			t.Errorf("outcome %v, rates %v %v", res["outcome"], lines[1], lines[2])
		}
		firstAnswer = rec.Body.String()
		again := e.postAttestation(id, "key-1", body)
		if again.Code != http.StatusCreated || again.Body.String() != rec.Body.String() {
			t.Errorf("replay differs: %d\n%s\n%s", again.Code, again.Body, rec.Body)
		}
		if other := e.postAttestation(id, "key-1", attest(2026, "79", "")); other.Code != http.StatusUnprocessableEntity {
			t.Errorf("same key, other body: %d", other.Code)
		}
		list := jsonBody(t, e.call(http.MethodGet, "/v1/loans/"+id+"/attestations", "officer", ""))
		if n := len(list["items"].([]any)); n != 1 {
			t.Errorf("%d attestations stored, want 1", n)
		}
	})

	t.Run("50 concurrent duplicates have one effect", func(t *testing.T) {
		body := attest(2026, "80", "")
		var wg sync.WaitGroup
		codes := make([]int, 50)
		bodies := make([]string, 50)
		for i := range codes {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rec := e.postAttestation(id, "key-concurrent", body)
				codes[i], bodies[i] = rec.Code, rec.Body.String()
			}()
		}
		wg.Wait()
		var first string
		for i, c := range codes {
			switch c {
			case http.StatusCreated:
				if first == "" {
					first = bodies[i]
				} else if bodies[i] != first {
					t.Errorf("two different 201 bodies for one key")
				}
			case http.StatusConflict:
			default:
				t.Errorf("status %d: %s", c, bodies[i])
			}
		}
		list := jsonBody(t, e.call(http.MethodGet, "/v1/loans/"+id+"/attestations", "officer", ""))
		if n := len(list["items"].([]any)); n != 2 {
			t.Errorf("%d attestations stored, want 2 (one per key)", n)
		}
	})

	// The stored answer is the one first given, whatever the loan went
	// through since (here a correction of the same SPT, which changed its
	// outcome and schedule).
	t.Run("a retry after later attestations answers as the first time", func(t *testing.T) {
		if firstAnswer == "" {
			t.Skip("the first attestation failed")
		}
		again := e.postAttestation(id, "key-1", attest(2026, "81", ""))
		if again.Code != http.StatusCreated || again.Body.String() != firstAnswer || again.Header().Get("Idempotent-Replayed") != "true" {
			t.Errorf("retry: %d %q\n%s\nwant\n%s", again.Code, again.Header().Get("Idempotent-Replayed"), again.Body, firstAnswer)
		}
	})

	t.Run("parallel attestations on several loans", func(t *testing.T) {
		ids := parallel
		var wg sync.WaitGroup
		for i := range 12 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rec := e.postAttestation(ids[i%3], fmt.Sprintf("par-%d", i), attest(2026, fmt.Sprint(70+i), ""))
				if rec.Code != http.StatusCreated {
					t.Errorf("%d %s", rec.Code, rec.Body)
				}
			}()
		}
		wg.Wait()
		for _, lid := range ids {
			list := jsonBody(t, e.call(http.MethodGet, "/v1/loans/"+lid+"/attestations", "auditor", ""))
			if n := len(list["items"].([]any)); n != 4 {
				t.Errorf("loan %s: %d attestations, want 4", lid, n)
			}
		}
	})

	t.Run("roles", func(t *testing.T) {
		for _, role := range []string{"officer", "analyst", "auditor", "admin"} {
			req := httptest.NewRequest(http.MethodPost, "/v1/loans/"+id+"/attestations", strings.NewReader(attest(2026, "80", "")))
			req.Header.Set("Authorization", "Bearer tfp-dev-"+role)
			req.Header.Set("Idempotency-Key", "r")
			rec := httptest.NewRecorder()
			e.srv.ServeHTTP(rec, req)
			if rec.Code != http.StatusForbidden {
				t.Errorf("%s: %d", role, rec.Code)
			}
		}
	})
}

func TestFixingAndSweep(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	id := e.bookQuote("HZ-F")
	for _, tc := range []struct {
		body  string
		code  int
		field string
	}{
		{`{"effective_date": "2025-05-20", "one_year": "2.90", "five_year": "3.40"}`, 422, "effective_date"},
		{`{"effective_date": "2026-12-22", "one_year": "-2.90", "five_year": "3.40"}`, 400, "one_year"},
		{`{"effective_date": "2026-12-22", "one_year": "2.905", "five_year": "3.40"}`, 400, "one_year"},
		{`{"effective_date": "2026-12-32", "one_year": "2.90", "five_year": "3.40"}`, 400, "effective_date"},
	} {
		rec := e.call(http.MethodPost, "/v1/benchmarks/lpr", "admin", tc.body)
		if rec.Code != tc.code || !slices.Contains(problemFields(t, rec), tc.field) {
			t.Errorf("%s: %d %s", tc.body, rec.Code, rec.Body)
		}
	}
	// A fixing effective 2026-11-26 (before today): the loan starting 2026-12-01
	// reads the LPR in force on min(2026-12-01, today) = the new 2.90 →
	// 2.90 + 0.30 = 3.2000 for every period (the anniversaries read it too).
	rec := e.call(http.MethodPost, "/v1/benchmarks/lpr", "admin", `{"effective_date": "2026-11-26", "one_year": "2.90", "five_year": "3.40"}`)
	if body := jsonBody(t, rec); rec.Code != 201 || body["repriced"] != 1.0 || body["changed"] != 1.0 {
		t.Fatalf("%d %v", rec.Code, body)
	}
	sched := jsonBody(t, e.call(http.MethodGet, "/v1/loans/"+id, "officer", ""))["schedule"].(map[string]any)
	if l := sched["schedule"].([]any)[0].(map[string]any); l["rate"] != "3.2000" || l["benchmark_rate"] != "2.9000" {
		t.Errorf("after the fixing: %v", l)
	}
	if rec := e.call(http.MethodPost, "/v1/benchmarks/lpr", "officer", `{}`); rec.Code != http.StatusForbidden {
		t.Errorf("officer publishing: %d", rec.Code)
	}
	// The 2026 SPT is due 2027-04-30; on 2027-05-01 nothing has arrived, so the
	// sweep determines not_reported and steps up +5 from period 3 (2027-06-01).
	e.setToday("2027-05-01")
	body := jsonBody(t, e.call(http.MethodPost, "/v1/admin/sweep", "admin", ""))
	if body["checked"] != 1.0 || body["changed"] != 1.0 {
		t.Errorf("sweep: %v", body)
	}
	sched = jsonBody(t, e.call(http.MethodGet, "/v1/loans/"+id, "officer", ""))["schedule"].(map[string]any)
	lines := sched["schedule"].([]any)
	if lines[1].(map[string]any)["rate"] != "3.2000" || lines[2].(map[string]any)["rate"] != "3.2500" {
		t.Errorf("after the sweep: %v / %v", lines[1], lines[2])
	}
	if spt := sched["spts"].([]any)[0].(map[string]any); spt["outcome"] != "not_reported" || spt["determined_on"] != "2027-05-01" {
		t.Errorf("spt: %v", spt)
	}
	if body := jsonBody(t, e.call(http.MethodPost, "/v1/admin/sweep", "admin", "")); body["changed"] != 0.0 {
		t.Errorf("a second sweep changed something: %v", body)
	}
}
