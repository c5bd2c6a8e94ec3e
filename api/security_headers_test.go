package api

import (
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/labstack/echo/v4"
)

// securityHeaders writes the header map directly; it must equal what
// http.Header.Set writes for the same five headers, keys and values,
// and Add on one of them must not disturb the others (capped slices).
func TestSecurityHeadersMatchSet(t *testing.T) {
	c := echo.New().NewContext(httptest.NewRequest(http.MethodGet, "/", nil), httptest.NewRecorder())
	_ = securityHeaders(func(echo.Context) error { return nil })(c)
	got := c.Response().Header()
	want := http.Header{}
	want.Set("x-content-type-options", "nosniff")
	want.Set("x-frame-options", "DENY")
	want.Set("content-security-policy", "default-src 'none'; frame-ancestors 'none'")
	want.Set("referrer-policy", "no-referrer")
	want.Set("cache-control", "no-store")
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("headers %v, want %v", got, want)
	}
	got.Add("X-Content-Type-Options", "extra")
	if got.Get("X-Frame-Options") != "DENY" || len(got.Values("X-Content-Type-Options")) != 2 {
		t.Fatalf("Add spilled into another header: %v", got)
	}
	// requestID reads the canonical key as Header.Get does, and "" when unset.
	if requestID(c) != "" {
		t.Fatalf("requestID = %q before one is set", requestID(c))
	}
	c.Response().Header().Set("x-request-id", "r-1")
	if requestID(c) != c.Response().Header().Get(echo.HeaderXRequestID) || requestID(c) != "r-1" {
		t.Fatalf("requestID = %q", requestID(c))
	}
}
