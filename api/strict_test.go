package api_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"tfpricing"
)

// problemOf decodes a problem document's errors.
func problemOf(t *testing.T, rec *httptest.ResponseRecorder) []tfpricing.FieldError {
	t.Helper()
	problemFields(t, rec) // checks the content type and status
	var p struct{ Errors []tfpricing.FieldError }
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	return p.Errors
}

// messageOf returns the message given for field, or "" when it is not named.
func messageOf(errs []tfpricing.FieldError, field string) string {
	for _, e := range errs {
		if e.Field == field {
			return e.Message
		}
	}
	return ""
}

// null for an optional field is not "absent": no request field is nullable,
// so it is a 400 naming the field (and nothing else).
func TestNullRefused(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	for _, tc := range []struct{ from, to, field string }{
		{`"name": "湖州某化纤有限公司"`, `"name": null`, "borrower.name"},
		{`"obsolete_capacity": false`, `"obsolete_capacity": null`, "borrower.obsolete_capacity"},
		{`"carbon_efficiency_grade": 3`, `"carbon_efficiency_grade": null`, "borrower.carbon_efficiency_grade"},
		{`"subsidy": {"rate_bp": "100", "end_date": "2027-12-01"}`, `"subsidy": null`, "facility.subsidy"},
		{`"baseline": {"year": 2025`, `"step_down_bp": null, "baseline": {"year": 2025`, "kpis[0].step_down_bp"},
		{`"pathway_id"`, `"as_of": null, "pathway_id"`, "as_of"},
	} {
		rec := e.call(http.MethodPost, "/v1/quotes", "officer", strings.Replace(sampleQuote, tc.from, tc.to, 1))
		if rec.Code != http.StatusBadRequest {
			t.Errorf("%s: %d %s", tc.to, rec.Code, rec.Body)
			continue
		}
		if errs := problemOf(t, rec); len(errs) != 1 || errs[0].Field != tc.field || errs[0].Code != "null" {
			t.Errorf("%s: %v", tc.to, errs)
		}
	}
	// borrower: null is one error, not a cascade over the fields it would hold.
	body := strings.Replace(sampleQuote, sampleQuote[strings.Index(sampleQuote, `{"name"`):strings.Index(sampleQuote, `"pathway_id"`)], `null, `, 1)
	rec := e.call(http.MethodPost, "/v1/quotes", "officer", body)
	if errs := problemOf(t, rec); rec.Code != 400 || len(errs) != 1 || errs[0].Field != "borrower" {
		t.Errorf("borrower null: %d %v", rec.Code, errs)
	}
}

// Structural problems are named by their full path, in JSON's terms.
func TestStrictShape(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	for _, tc := range []struct {
		name, body, field, code, message string
	}{
		{"duplicate key", strings.Replace(sampleQuote, `"tenor_months": 36`, `"tenor_months": 36, "tenor_months": 48`, 1),
			"facility.tenor_months", "duplicate", "appears more than once"},
		{"duplicate top-level key", strings.Replace(sampleQuote, `"pathway_id": "C28-P01"`, `"pathway_id": "C28-P01", "pathway_id": "C28-P02"`, 1),
			"pathway_id", "duplicate", ""},
		{"unknown nested field", strings.Replace(sampleQuote, `"tenor_months": 36`, `"tenor_months": 36, "tenor": 36`, 1),
			"facility.tenor", "unknown", "unknown field facility.tenor"},
		{"unknown field in a list", strings.Replace(sampleQuote, `{"year": 2026, "value": "82"}`, `{"year": 2026, "value": "82", "unit": "x"}`, 1),
			"kpis[0].targets[0].unit", "unknown", ""},
		{"array body", `[` + sampleQuote + `]`, "", "type", "the body must be a JSON object, not array"},
		{"number for a decimal", strings.Replace(sampleQuote, `"amount": "50000000.00"`, `"amount": 50000000`, 1),
			"facility.amount", "type", "must be a string, not integer (decimals travel as strings"},
		{"fraction for an integer", strings.Replace(sampleQuote, `"tenor_months": 36`, `"tenor_months": 36.5`, 1),
			"facility.tenor_months", "type", "must be an integer, not number"},
		{"date that does not exist", strings.Replace(sampleQuote, `"start_date": "2026-12-01"`, `"start_date": "2027-02-29"`, 1),
			"facility.start_date", "date", "day 29 does not exist in 2027-02"},
		{"month that does not exist", strings.Replace(sampleQuote, `"start_date": "2026-12-01"`, `"start_date": "2026-13-01"`, 1),
			"facility.start_date", "date", "month 13 does not exist"},
		{"zero tenor", strings.Replace(sampleQuote, `"tenor_months": 36`, `"tenor_months": 0`, 1),
			"facility.tenor_months", "min", "must be at least 1"},
		{"zero year", strings.Replace(sampleQuote, `"baseline": {"year": 2025`, `"baseline": {"year": 0`, 1),
			"kpis[0].baseline.year", "min", "must be at least 1990"},
		{"no targets", strings.Replace(sampleQuote, `[{"year": 2026, "value": "82"}, {"year": 2027, "value": "76"}]`, `[]`, 1),
			"kpis[0].targets", "min", "must have at least 1 item"},
	} {
		rec := e.call(http.MethodPost, "/v1/quotes", "officer", tc.body)
		if rec.Code != http.StatusBadRequest {
			t.Errorf("%s: %d %s", tc.name, rec.Code, rec.Body)
			continue
		}
		errs := problemOf(t, rec)
		i := slices.IndexFunc(errs, func(fe tfpricing.FieldError) bool { return fe.Field == tc.field })
		if i < 0 || errs[i].Code != tc.code || !strings.Contains(errs[i].Message, tc.message) {
			t.Errorf("%s: %v", tc.name, errs)
		}
		if strings.Contains(rec.Body.String(), "api.") || strings.Contains(rec.Body.String(), "DTO") {
			t.Errorf("%s: a Go type name leaked: %s", tc.name, rec.Body)
		}
	}
	// "at least 1 item", not "items/characters"; a string says characters.
	if m := messageOf(problemOf(t, e.call(http.MethodPost, "/v1/quotes", "officer",
		strings.Replace(sampleQuote, `[{"year": 2026, "value": "82"}, {"year": 2027, "value": "76"}]`, `[]`, 1))), "kpis[0].targets"); m != "must have at least 1 item" {
		t.Errorf("message %q", m)
	}
}

// A body must be declared as JSON; an empty body is a 400 whatever it says.
func TestContentType(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	for _, ct := range []string{"", "application/x-www-form-urlencoded", "text/plain", "application/json; charset=latin1"} {
		req := httptest.NewRequest(http.MethodPost, "/v1/quotes", strings.NewReader(sampleQuote))
		req.Header.Set("Authorization", "Bearer tfp-dev-officer")
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		rec := httptest.NewRecorder()
		e.srv.ServeHTTP(rec, req)
		checkContract(t, req, rec)
		if rec.Code != http.StatusUnsupportedMediaType || !strings.Contains(rec.Body.String(), "application/json") {
			t.Errorf("Content-Type %q: %d %s", ct, rec.Code, rec.Body)
		}
	}
	for _, ct := range []string{"application/json", "application/json; charset=utf-8", "Application/JSON; charset=UTF-8"} {
		req := httptest.NewRequest(http.MethodPost, "/v1/quotes", strings.NewReader(sampleQuote))
		req.Header.Set("Authorization", "Bearer tfp-dev-officer")
		req.Header.Set("Content-Type", ct)
		rec := httptest.NewRecorder()
		e.srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusCreated {
			t.Errorf("Content-Type %q: %d %s", ct, rec.Code, rec.Body)
		}
	}
}

// ?as_of= is neither absent nor a date: 400 naming the parameter.
func TestEmptyQueryValue(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	for _, path := range []string{"/v1/catalogue?as_of=", "/v1/policy?as_of=", "/v1/benchmarks/lpr?as_of=&x=1"} {
		rec := e.call(http.MethodGet, path, "officer", "")
		if rec.Code != http.StatusBadRequest || !slices.Contains(problemFields(t, rec), "as_of") {
			t.Errorf("%s: %d %s", path, rec.Code, rec.Body)
		}
	}
	rec := e.call(http.MethodGet, "/v1/catalogue?as_of=2026-02-30", "officer", "")
	if m := messageOf(problemOf(t, rec), "as_of"); rec.Code != 400 || m != "day 30 does not exist in 2026-02" {
		t.Errorf("%d %q", rec.Code, m)
	}
}

// An unpriced rating is a 422 naming borrower.credit_rating and listing
// the ratings policy 2026.1 prices, best first (its credit_spread_bp order).
func TestUnpricedRating(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	rec := e.call(http.MethodPost, "/v1/quotes", "officer", strings.Replace(sampleQuote, `"credit_rating": "AA"`, `"credit_rating": "CCC"`, 1))
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	m := messageOf(problemOf(t, rec), "borrower.credit_rating")
	if !strings.HasSuffix(m, "AAA, AA+, AA, AA-, A+, A, A-, BBB+, BBB") {
		t.Errorf("message %q", m)
	}
}

// An LPR fixing written with 4 decimals, as the service writes rates, is
// accepted; a fraction of a basis point is not.
func TestFixingDecimals(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	rec := e.call(http.MethodPost, "/v1/benchmarks/lpr", "admin", `{"effective_date": "2026-11-26", "one_year": "3.0000", "five_year": "3.5000"}`)
	if rec.Code != http.StatusCreated {
		t.Errorf("%d %s", rec.Code, rec.Body)
	}
	// "3.00000" is a whole bp but written with 5 decimals: the boundary of "at most 4".
	for _, v := range []string{"2.9050", "2.90001", "2.905", "3.00000"} {
		rec := e.call(http.MethodPost, "/v1/benchmarks/lpr", "admin", `{"effective_date": "2026-11-27", "one_year": "`+v+`", "five_year": "3.40"}`)
		if rec.Code != http.StatusBadRequest || !slices.Contains(problemFields(t, rec), "one_year") {
			t.Errorf("%s: %d %s", v, rec.Code, rec.Body)
		}
	}
}
