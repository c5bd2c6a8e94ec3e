package api_test

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"tfpricing/api"
	"tfpricing/configs"
	"tfpricing/pricing/boltstore"
	"tfpricing/pricing/loanbook"
)

// fourEyes serves a loan book of its own with
// lifecycle.four_eyes_reference_data: true.
func fourEyes(t *testing.T) func(*api.Deps) {
	return func(d *api.Deps) {
		cfg, err := configs.Load(func(string) string { return "" }, configs.Flags{})
		if err != nil {
			t.Fatal(err)
		}
		ref, err := cfg.LoadReference()
		if err != nil {
			t.Fatal(err)
		}
		store, err := boltstore.Open(filepath.Join(t.TempDir(), "four-eyes.db"), boltstore.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { store.Close() })
		d.Book, err = loanbook.New(context.Background(), loanbook.Config{Store: store, Catalogues: ref.Catalogues,
			Policies: ref.Policies, Shipped: ref.Fixings, Today: d.Today, FourEyesReferenceData: true})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// DESIGN.md §5.1, four eyes on reference data: POST /v1/benchmarks/lpr
// answers 202 with a pending lpr_fixing proposal (no loan_id) and the
// fixing is not published until an approver approves it. §4: rates are
// written with 4 decimals, so the proposal's request shows the posted
// "2.90"/"3.40" as "2.9000"/"3.4000", as GET /v1/benchmarks/lpr does.
func TestLPRFixingUnderFourEyes(t *testing.T) {
	e := newEnvWith(t, "2026-11-27", fourEyes(t))
	rec := e.call(http.MethodPost, "/v1/benchmarks/lpr", "admin", `{"effective_date": "2026-11-27", "one_year": "2.90", "five_year": "3.40"}`)
	wantStatus(t, rec, http.StatusAccepted, "fixing under four eyes")
	p := jsonBody(t, rec)
	req, _ := p["request"].(map[string]any)
	if p["kind"] != "lpr_fixing" || p["status"] != "pending" || p["loan_id"] != nil ||
		req["one_year"] != "2.9000" || req["five_year"] != "3.4000" || req["effective_date"] != "2026-11-27" {
		t.Fatalf("proposal %v", p)
	}
	if strings.Contains(e.call(http.MethodGet, "/v1/benchmarks/lpr", "auditor", "").Body.String(), `"effective_date":"2026-11-27"`) {
		t.Fatal("the fixing is published before its approval")
	}
	pid := p["proposal_id"].(string)
	rec = e.call(http.MethodPost, "/v1/proposals/"+pid+"/approve", "approver", "")
	wantStatus(t, rec, http.StatusOK, "approval")
	if r := jsonBody(t, rec)["request"].(map[string]any); r["one_year"] != "2.9000" {
		t.Errorf("approved proposal's request %v", r)
	}
	if !strings.Contains(e.call(http.MethodGet, "/v1/benchmarks/lpr", "auditor", "").Body.String(), `"2026-11-27","one_year":"2.9000"`) {
		t.Error("the approved fixing is not published")
	}
}
