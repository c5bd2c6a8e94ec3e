package test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A data file written while the catalogue shipped as a single open-ended
// 2.0 (the file of commit 6fdddb0, kept in catalog/testdata) still replays
// after the service restarts with the catalogue history of issue 15 (2.0
// closed on 2025-05-01 with other sources, 2.1, 2.2): a quote, a booking and
// an attestation made under the old document keep its digest and replay
// against the document stored under it, over HTTP and offline.
func TestOldCatalogueDecisionsReplayAfterTheHistory(t *testing.T) {
	dir := t.TempDir()
	old, err := os.ReadFile("../catalog/testdata/huzhou-transition-2.0-6fdddb0.yaml")
	if err != nil {
		t.Fatal(err)
	}
	def, err := os.ReadFile("../configs/default.yaml")
	if err != nil {
		t.Fatal(err)
	}
	catDir := filepath.Join(dir, "old-catalog")
	if err := os.MkdirAll(catDir, 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(catDir, "2.0.yaml"), old, 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "old.yaml")
	conf := strings.Replace(string(def), `catalog_dir: ""`, fmt.Sprintf("catalog_dir: %q", catDir), 1)
	if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}

	p := start(t, dir, "TFP_TODAY=2026-11-27", "TFP_CONFIG="+cfg, "TFP_DEV=1")
	status, loan, _ := p.do("POST", "/v1/loans", "officer", strings.Replace(crashTerms, "REF", "OLD-1", 1))
	if status != 201 {
		t.Fatalf("booking under the old catalogue: %d %v", status, loan)
	}
	oldDigest := loan["catalogue"].(map[string]any)["digest"]
	quote := crashTerms[strings.Index(crashTerms, `"terms": `)+len(`"terms": `) : len(crashTerms)-1]
	if status, q, _ := p.do("POST", "/v1/quotes", "officer", quote); status != 201 ||
		q["catalogue"].(map[string]any)["digest"] != oldDigest {
		t.Fatalf("quote under the old catalogue: %d %v", status, q)
	}
	p.stop()

	p = start(t, dir, "TFP_TODAY=2027-03-01")
	status, cat, _ := p.do("GET", "/v1/catalogue?as_of=2026-11-27", "officer", nil)
	if status != 200 || cat["version"] != "2.2" || cat["digest"] == oldDigest {
		t.Fatalf("catalogue in force after the restart: %d %v (old digest %v)", status, cat["version"], oldDigest)
	}
	id := loan["id"].(string)
	if status, out := p.doKey("POST", "/v1/loans/"+id+"/attestations", "verifier", "h1", attestation(2026, "81", "")); status != 201 {
		t.Fatalf("attestation on the old loan: %d %v", status, out)
	}
	status, l, _ := p.do("GET", "/v1/loans/"+id, "officer", nil)
	if status != 200 || l["catalogue"].(map[string]any)["digest"] != oldDigest {
		t.Errorf("the loan must keep the catalogue it was booked under: %d %v", status, l["catalogue"])
	}
	checkAuditTrail(t, p)
}
