package api_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// HEAD answers every GET route with the GET's status and headers; other
// methods a route does not serve are 405 with Allow; OPTIONS is answered
// as the OpenAPI document says.
func TestMethods(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	for _, tc := range []struct {
		method, path, role string
		status             int
		ctype              string
	}{
		{http.MethodHead, "/healthz", "", 200, "application/json"},
		{http.MethodHead, "/v1/catalogue", "officer", 200, "application/json"},
		{http.MethodHead, "/v1/catalogue", "", 401, "application/problem+json"},
		{http.MethodHead, "/v1/catalogue?as_of=2026-02-30", "officer", 400, "application/problem+json"},
		{http.MethodHead, "/openapi.yaml", "", 200, "application/yaml"},
		{http.MethodHead, "/v1/quotes", "officer", 405, "application/problem+json"},
		{http.MethodDelete, "/v1/quotes", "officer", 405, "application/problem+json"},
		{http.MethodPut, "/v1/catalogue", "officer", 405, "application/problem+json"},
	} {
		req := httptest.NewRequest(tc.method, tc.path, nil)
		if tc.role != "" {
			req.Header.Set("Authorization", "Bearer tfp-dev-"+tc.role)
		}
		rec := httptest.NewRecorder()
		e.srv.ServeHTTP(rec, req)
		if rec.Code != tc.status || rec.Header().Get("Content-Type") != tc.ctype && !(tc.ctype == "application/json" && rec.Header().Get("Content-Type") == "application/json; charset=UTF-8") {
			t.Errorf("%s %s: %d %q", tc.method, tc.path, rec.Code, rec.Header().Get("Content-Type"))
		}
		if tc.status == 405 && rec.Header().Get("Allow") == "" {
			t.Errorf("%s %s: 405 without Allow", tc.method, tc.path)
		}
	}
	req := httptest.NewRequest(http.MethodOptions, "/v1/quotes", nil)
	rec := httptest.NewRecorder()
	e.srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusNoContent || rec.Header().Get("Allow") != "OPTIONS, POST" || rec.Body.Len() != 0 {
		t.Errorf("OPTIONS: %d %v %s", rec.Code, rec.Header(), rec.Body)
	}
	// A GET route's Allow lists HEAD, which it answers.
	for _, method := range []string{http.MethodOptions, http.MethodDelete} {
		req = httptest.NewRequest(method, "/v1/catalogue", nil)
		req.Header.Set("Authorization", "Bearer tfp-dev-officer")
		rec = httptest.NewRecorder()
		e.srv.ServeHTTP(rec, req)
		if allow := rec.Header().Get("Allow"); !strings.Contains(allow, "GET") || !strings.Contains(allow, "HEAD") {
			t.Errorf("%s /v1/catalogue: %d Allow %q", method, rec.Code, allow)
		}
	}
}
