package api_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Rendered bodies go out with their Content-Length, not chunked, and are
// the bytes the handler wrote (the recorder's); a HEAD answers the same
// length and no body.
func TestRenderedBodiesCarryContentLength(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	id := e.bookQuote("content-length")
	ts := httptest.NewServer(e.srv)
	defer ts.Close()
	do := func(method, path, body string) (*http.Response, string) {
		t.Helper()
		var rd io.Reader
		if body != "" {
			rd = strings.NewReader(body)
		}
		req, _ := http.NewRequest(method, ts.URL+path, rd)
		req.Header.Set("Authorization", "Bearer tfp-dev-officer")
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, string(b)
	}
	for _, c := range []struct{ method, path, body string }{
		{http.MethodPost, "/v1/eligibility", standardEligibility},
		{http.MethodGet, "/v1/loans/" + id + "/schedule", ""},
	} {
		resp, body := do(c.method, c.path, c.body)
		want := e.call(c.method, c.path, "officer", c.body).Body.String()
		if resp.StatusCode != http.StatusOK || body != want || len(body) < 2048 {
			t.Fatalf("%s %s: %d, %d bytes, want the recorder's %d (over 2 KB, where net/http would chunk)", c.method, c.path, resp.StatusCode, len(body), len(want))
		}
		if resp.ContentLength != int64(len(body)) || len(resp.TransferEncoding) != 0 {
			t.Errorf("%s %s: Content-Length %d, Transfer-Encoding %v; want %d and none", c.method, c.path, resp.ContentLength, resp.TransferEncoding, len(body))
		}
	}
	get, body := do(http.MethodGet, "/v1/loans/"+id+"/schedule", "")
	head, none := do(http.MethodHead, "/v1/loans/"+id+"/schedule", "")
	if head.StatusCode != http.StatusOK || none != "" || head.ContentLength != int64(len(body)) || get.ContentLength != head.ContentLength {
		t.Errorf("HEAD: %d, body %q, Content-Length %d; GET's is %d", head.StatusCode, none, head.ContentLength, get.ContentLength)
	}
}
