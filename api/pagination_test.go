package api_test

import (
	"net/http"
	"slices"
	"testing"
)

// DESIGN.md §7: a 400 lists every invalid field. A listing with both a bad
// limit and a cursor the service never issued ("!!" is not base64url)
// names both, on every paginated route.
func TestPaginationNamesEveryBadField(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	e.bookQuote("HZ-P")
	for _, tc := range []struct{ path, role string }{
		{"/v1/loans", "officer"},
		{"/v1/decisions", "auditor"},
	} {
		rec := e.call(http.MethodGet, tc.path+"?limit=abc&cursor=!!", tc.role, "")
		if rec.Code != http.StatusBadRequest {
			t.Errorf("%s: %d %s", tc.path, rec.Code, rec.Body)
			continue
		}
		got := problemFields(t, rec)
		if !slices.Contains(got, "limit") || !slices.Contains(got, "cursor") {
			t.Errorf("%s: fields %v, want limit and cursor", tc.path, got)
		}
	}
}
