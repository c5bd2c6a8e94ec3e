package api_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

var (
	contractOnce   sync.Once
	contractDoc    *openapi3.T
	contractRouter routers.Router
	contractErr    error
)

// contract loads and validates api/openapi.yaml once per test binary.
func contract(t testing.TB) (*openapi3.T, routers.Router) {
	t.Helper()
	contractOnce.Do(func() {
		raw, err := os.ReadFile("openapi.yaml")
		if err != nil {
			contractErr = err
			return
		}
		loader := openapi3.NewLoader()
		contractDoc, contractErr = loader.LoadFromData(raw)
		if contractErr != nil {
			return
		}
		if contractErr = contractDoc.Validate(context.Background()); contractErr != nil {
			return
		}
		contractDoc.Servers = nil // match requests on any host
		contractRouter, contractErr = gorillamux.NewRouter(contractDoc)
	})
	if contractErr != nil {
		t.Fatalf("openapi.yaml: %v", contractErr)
	}
	return contractDoc, contractRouter
}

// checkContract validates a response the server gave against the OpenAPI
// document: its status must be documented for the route and its body must
// match the schema. Every request made through testEnv.call passes here, so
// the contract is checked by every API test.
func checkContract(t testing.TB, req *http.Request, rec *httptest.ResponseRecorder) {
	t.Helper()
	_, router := contract(t)
	if ct := rec.Header().Get("Content-Type"); !strings.Contains(ct, "json") && rec.Code < 400 {
		return // YAML, CSV and binary bodies: the schema says only "string"
	}
	route, params, err := router.FindRoute(req)
	if err != nil {
		return // unknown route or method: the 404/405 problem is checked elsewhere
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 rec.Code,
		Header:                 rec.Header(),
		Body:                   io.NopCloser(bytes.NewReader(rec.Body.Bytes())),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		t.Errorf("%s %s → %d does not match openapi.yaml: %v\nbody: %s", req.Method, req.URL.Path, rec.Code, err, rec.Body)
	}
}

// TestOpenAPICoversEveryRoute fails when a route is added without being
// documented, or documented without existing.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	doc, _ := contract(t)
	e := newEnv(t, "2026-11-27")
	documented := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented[method+" "+path] = true
		}
	}
	served := map[string]bool{}
	for _, r := range e.srv.Routes() {
		served[r] = true
		if !documented[r] {
			t.Errorf("route %s is not in openapi.yaml", r)
		}
	}
	for r := range documented {
		if !served[r] && !strings.HasPrefix(r, "HEAD ") {
			t.Errorf("openapi.yaml documents %s, which the server does not serve", r)
		}
	}
}
