package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// routeRoles is DESIGN.md §7's role table: who may call each route. "*"
// means anyone, without a key.
var routeRoles = map[string][]string{
	"GET /healthz":                        {"*"},
	"GET /readyz":                         {"*"},
	"GET /openapi.yaml":                   {"*"},
	"GET /metrics":                        {"admin"},
	"GET /":                               {"*"}, // the web console signs in against /v1 itself
	"GET /console/{file}":                 {"*"},
	"GET /console/vendor/echarts/{file}":  {"*"},
	"GET /v1/session":                     {"officer", "analyst", "verifier", "auditor", "admin", "approver"},
	"GET /v1/catalogue":                   {"officer", "analyst", "verifier", "auditor", "admin", "approver"},
	"GET /v1/catalogue/versions":          {"officer", "analyst", "verifier", "auditor", "admin", "approver"},
	"GET /v1/catalogue/industries/{code}": {"officer", "analyst", "verifier", "auditor", "admin", "approver"},
	"POST /v1/eligibility":                {"officer", "analyst"},
	"GET /v1/policy":                      {"officer", "analyst", "verifier", "auditor", "admin", "approver"},
	"GET /v1/benchmarks/lpr":              {"officer", "analyst", "verifier", "auditor", "admin", "approver"},
	"POST /v1/benchmarks/lpr":             {"admin"},
	"POST /v1/quotes":                     {"officer", "analyst"},
	"POST /v1/loans":                      {"officer"},
	"GET /v1/loans":                       {"officer", "auditor"},
	"GET /v1/loans/{id}":                  {"officer", "auditor"},
	"GET /v1/loans/{id}/schedule":         {"officer", "auditor"},
	"POST /v1/loans/{id}/attestations":    {"verifier"},
	"GET /v1/loans/{id}/attestations":     {"officer", "verifier", "auditor"},
	"POST /v1/simulations":                {"analyst", "officer"},
	"GET /v1/decisions":                   {"auditor"},
	"GET /v1/decisions/{id}":              {"auditor"},
	"POST /v1/decisions/{id}/replay":      {"auditor"},
	"GET /v1/decisions/export":            {"auditor"},
	"GET /v1/audit/verify":                {"auditor"},
	"POST /v1/audit/verify":               {"auditor"},
	"GET /v1/audit/checkpoint":            {"auditor"},
	"GET /v1/audit/public-key":            {"auditor", "admin"}, // the checkpoint key; operators publish it
	"POST /v1/admin/sweep":                {"admin"},
	"GET /v1/admin/backup":                {"admin"},
	// DESIGN.md §5.1, and the second-party opinion (issue 16).
	"POST /v1/loans/{id}/amendments":           {"officer"},
	"POST /v1/loans/{id}/declassification":     {"officer"},
	"POST /v1/loans/{id}/second-party-opinion": {"officer"},
	"GET /v1/loans/{id}/plans":                 {"officer", "approver", "auditor"},
	"GET /v1/proposals":                        {"officer", "approver", "admin", "auditor"},
	"GET /v1/proposals/{id}":                   {"officer", "approver", "admin", "auditor"},
	"POST /v1/proposals/{id}/approve":          {"approver"},
	"POST /v1/proposals/{id}/reject":           {"approver"},
}

// TestAuthorizationMatrix calls every route with every role, no key and a
// bad key. Refused cells must be 401 (no or bad key) or 403 (role) and must
// leave the data file byte-for-byte unchanged; allowed cells must not be
// refused. A route missing from the table fails the test, so new routes
// cannot slip in without a decision about who may call them.
func TestAuthorizationMatrix(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	id := e.bookQuote("AUTHZ")
	before := e.digest()
	for _, route := range e.srv.Routes() {
		allowed, ok := routeRoles[route]
		if !ok {
			t.Errorf("route %s has no row in the authorization matrix", route)
			continue
		}
		method, path, _ := strings.Cut(route, " ")
		path = strings.NewReplacer("{id}", id, "{code}", "C28").Replace(path)
		body := ""
		if method == http.MethodPost {
			body = `{}`
		}
		for _, role := range []string{"", "bad", "officer", "analyst", "verifier", "auditor", "admin", "approver"} {
			rec := e.call(method, path, role, body)
			open := slices.Contains(allowed, "*")
			switch {
			case open:
				if rec.Code == http.StatusUnauthorized || rec.Code == http.StatusForbidden {
					t.Errorf("%s as %q: %d on an open route", route, role, rec.Code)
				}
			case role == "" || role == "bad":
				if rec.Code != http.StatusUnauthorized {
					t.Errorf("%s as %q: %d, want 401", route, role, rec.Code)
				}
			case !slices.Contains(allowed, role):
				if rec.Code != http.StatusForbidden {
					t.Errorf("%s as %s: %d, want 403", route, role, rec.Code)
				}
			default:
				if rec.Code == http.StatusUnauthorized || rec.Code == http.StatusForbidden {
					t.Errorf("%s as %s: %d, but the role is allowed", route, role, rec.Code)
				}
			}
		}
	}
	// Allowed POSTs with an empty object are refused as bad input, so no
	// cell may have changed anything — in particular no refused one.
	if after := e.digest(); after != before {
		t.Error("the matrix changed the data file")
	}
}
