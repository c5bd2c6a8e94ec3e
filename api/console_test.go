package api_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestSessionNamesTheKey: GET /v1/session answers the caller's key id and
// role, and 401 without a key.
func TestSessionNamesTheKey(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	for _, role := range []string{"officer", "analyst", "verifier", "auditor", "admin"} {
		rec := e.call(http.MethodGet, "/v1/session", role, "")
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", role, rec.Code, rec.Body)
		}
		m := jsonBody(t, rec)
		if m["role"] != role || m["key_id"] == "" {
			t.Errorf("%s: session %v", role, m)
		}
	}
	if rec := e.call(http.MethodGet, "/v1/session", "", ""); rec.Code != http.StatusUnauthorized {
		t.Errorf("no key: %d, want 401", rec.Code)
	}
	if rec := e.call(http.MethodGet, "/v1/session", "bad", ""); rec.Code != http.StatusUnauthorized {
		t.Errorf("bad key: %d, want 401", rec.Code)
	}
}

// TestConsoleHeaders: the console page and its files carry the strict CSP
// (self only, no inline, no framing), nosniff and no-referrer, are gzip'ed
// when accepted, revalidate by ETag, and unknown files are 404.
func TestConsoleHeaders(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	get := func(path, enc, etag string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		if enc != "" {
			req.Header.Set("Accept-Encoding", enc)
		}
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		rec := httptest.NewRecorder()
		e.srv.ServeHTTP(rec, req)
		return rec
	}
	for _, path := range []string{"/", "/console/app.js", "/console/app.css", "/console/vendor/echarts/echarts.common.min.js"} {
		rec := get(path, "", "")
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d", path, rec.Code)
		}
		h := rec.Header()
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "frame-ancestors 'none'", "script-src 'self';", "style-src 'self';"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe") {
			t.Errorf("%s: CSP allows %q", path, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("%s: headers %v", path, h)
		}
		if h.Get("Content-Encoding") != "" {
			t.Errorf("%s: gzip without Accept-Encoding", path)
		}
		if again := get(path, "", h.Get("ETag")); again.Code != http.StatusNotModified {
			t.Errorf("%s: revalidation %d, want 304", path, again.Code)
		}
	}
	if rec := get("/", "", ""); !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") || !strings.Contains(rec.Body.String(), `<script type="module" src="/console/app.js">`) {
		t.Errorf("index: %s\n%s", rec.Header().Get("Content-Type"), rec.Body)
	}
	plain, gz := get("/console/vendor/echarts/echarts.common.min.js", "", ""), get("/console/vendor/echarts/echarts.common.min.js", "gzip, deflate, br", "")
	if gz.Header().Get("Content-Encoding") != "gzip" || gz.Body.Len()*2 > plain.Body.Len() {
		t.Errorf("echarts gzip: encoding %q, %d bytes of %d", gz.Header().Get("Content-Encoding"), gz.Body.Len(), plain.Body.Len())
	}
	for _, path := range []string{"/console/nope.js", "/console/vendor/echarts/nope.js", "/console/..%2fconsole.go"} {
		if rec := get(path, "", ""); rec.Code != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, rec.Code)
		}
	}
}
