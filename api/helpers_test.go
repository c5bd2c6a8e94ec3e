package api_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"tfpricing"
	"tfpricing/api"
	"tfpricing/configs"
	"tfpricing/pricing/boltstore"
	"tfpricing/pricing/loanbook"
)

// testEnv is an api.Server over a temporary bbolt file with the shipped
// reference data and a fixed business date.
type testEnv struct {
	t     testing.TB
	srv   *api.Server
	store *boltstore.Store
	book  *loanbook.Service
	logs  *bytes.Buffer
	// today is the business date; tests may move it between requests.
	today *tfpricing.Date
}

// setToday moves the business date.
func (e *testEnv) setToday(d string) { *e.today = tfpricing.MustParseDate(d) }

// digest is the content digest of the data file.
func (e *testEnv) digest() string {
	e.t.Helper()
	d, err := e.store.ContentDigest()
	if err != nil {
		e.t.Fatal(err)
	}
	return d
}

func newEnv(t testing.TB, today string) *testEnv {
	t.Helper()
	return newEnvWith(t, today, nil)
}

// newEnvWith is newEnv with the server's dependencies adjusted by tune
// (keys, rate limit…) before the server is built.
func newEnvWith(t testing.TB, today string, tune func(*api.Deps)) *testEnv {
	t.Helper()
	cfg, err := configs.Load(func(string) string { return "" }, configs.Flags{})
	if err != nil {
		t.Fatal(err)
	}
	ref, err := cfg.LoadReference()
	if err != nil {
		t.Fatal(err)
	}
	store, err := boltstore.Open(filepath.Join(t.TempDir(), "t.db"), boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := store.Check(); err != nil {
			t.Errorf("data file check: %v", err)
		}
		store.Close()
	})
	day := tfpricing.MustParseDate(today)
	env := &testEnv{t: t, store: store, today: &day}
	d := func() tfpricing.Date { return *env.today }
	book, err := loanbook.New(context.Background(), loanbook.Config{Store: store, Catalogues: ref.Catalogues,
		Policies: ref.Policies, Shipped: ref.Fixings, Today: d})
	if err != nil {
		t.Fatal(err)
	}
	var keys []api.Key
	for _, r := range tfpricing.Roles {
		keys = append(keys, api.Key{ID: "test-" + string(r), Role: r, SHA256: sha256.Sum256([]byte("tfp-dev-" + string(r)))})
	}
	logs := &bytes.Buffer{}
	deps := api.Deps{
		Logger: zerolog.New(zerolog.SyncWriter(logs)), Catalogues: ref.Catalogues, Keys: keys, Policies: ref.Policies, Book: book,
		Today: d,
		Ready: func(context.Context) error { return nil }, AuditKey: testAuditKey,
	}
	if tune != nil {
		tune(&deps)
	}
	srv := api.NewServer(deps)
	env.srv, env.logs, env.book = srv, logs, book
	return env
}

// call sends a request with the development token of role ("" for none, or
// "bad" for a wrong token) and returns the recorder.
func (e *testEnv) call(method, path, role, body string) *httptest.ResponseRecorder {
	e.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, rd)
	switch role {
	case "":
	case "bad":
		req.Header.Set("Authorization", "Bearer not-a-key")
	default:
		req.Header.Set("Authorization", "Bearer tfp-dev-"+role)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	e.srv.ServeHTTP(rec, req)
	checkContract(e.t, req, rec)
	return rec
}

// jsonBody decodes a response body into a generic map.
func jsonBody(t testing.TB, rec *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, rec.Body)
	}
	return m
}

// problemFields returns the field names of a problem document's errors.
func problemFields(t testing.TB, rec *httptest.ResponseRecorder) []string {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content type %q, want application/problem+json\n%s", ct, rec.Body)
	}
	var p struct {
		Type   string
		Status int
		Errors []tfpricing.FieldError
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	if p.Status != rec.Code || !strings.HasPrefix(p.Type, "urn:tfpricing:problem:") {
		t.Fatalf("problem status %d type %q for HTTP %d", p.Status, p.Type, rec.Code)
	}
	out := make([]string, 0, len(p.Errors))
	for _, f := range p.Errors {
		out = append(out, f.Field)
	}
	return out
}

// sampleKPIs is the KPI list of sampleEligibility.
const sampleKPIs = `[{"metric_id": "pet_fdy_energy", "baseline": {"year": 2025, "value": "88"},
           "targets": [{"year": 2026, "value": "82"}, {"year": 2027, "value": "76"}]}]`

// sampleEligibility is DESIGN.md §7's eligibility example.
const sampleEligibility = `{"borrower": {"name": "湖州某化纤有限公司", "uscc": "91350100M000100Y43", "industry_code": "C2822",
  "just_transition_score": 72, "obsolete_capacity": false},
 "pathway_id": "C28-P01",
 "kpis": [{"metric_id": "pet_fdy_energy", "baseline": {"year": 2025, "value": "88"},
           "targets": [{"year": 2026, "value": "82"}, {"year": 2027, "value": "76"}]}],
 "as_of": "2026-11-27"}`

var _ = http.StatusOK
