package test

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var roles = []string{"officer", "analyst", "verifier", "auditor", "admin"}

const eligibilityBody = `{"borrower": {"name": "湖州某化纤有限公司", "uscc": "91350100M000100Y43", "industry_code": "C2822",
  "just_transition_score": 72, "obsolete_capacity": false},
 "pathway_id": "C28-P01",
 "kpis": [{"metric_id": "pet_fdy_energy", "baseline": {"year": 2025, "value": "88"},
           "targets": [{"year": 2026, "value": "82"}, {"year": 2027, "value": "76"}]}]}`

// TestFoundationRoutesByRole starts the real binary and calls every route of
// the foundation with every role, no key and a bad key.
func TestFoundationRoutesByRole(t *testing.T) {
	p := start(t, "", "TFP_TODAY=2026-11-27")
	type route struct {
		method, path, body string
		allowed            []string // roles that get 2xx; "*" = anyone without a key
	}
	routes := []route{
		{"GET", "/healthz", "", []string{"*"}},
		{"GET", "/readyz", "", []string{"*"}},
		{"GET", "/openapi.yaml", "", []string{"*"}},
		{"GET", "/metrics", "", []string{"admin"}},
		{"GET", "/v1/catalogue", "", roles},
		{"GET", "/v1/catalogue/versions", "", roles},
		{"GET", "/v1/catalogue/industries/C28", "", roles},
		{"POST", "/v1/eligibility", eligibilityBody, []string{"officer", "analyst"}},
	}
	for _, r := range routes {
		open := len(r.allowed) == 1 && r.allowed[0] == "*"
		for _, role := range append([]string{"", "bad"}, roles...) {
			var body any
			if r.body != "" {
				body = r.body
			}
			key := role
			if role == "bad" {
				key = "nobody"
			}
			status, _, _ := p.do(r.method, r.path, key, body)
			want := http.StatusOK
			switch {
			case open:
			case role == "" || role == "bad":
				want = http.StatusUnauthorized
			case !contains(r.allowed, role):
				want = http.StatusForbidden
			}
			if status != want {
				t.Errorf("%s %s as %q: status %d, want %d", r.method, r.path, role, status, want)
			}
		}
	}

	status, body, _ := p.do("POST", "/v1/eligibility", "officer", eligibilityBody)
	if status != 200 || body["eligible"] != true || body["tier"] != "transitioning" {
		t.Errorf("eligibility: %d %v", status, body)
	}
	if body["as_of"] != "2026-11-27" {
		t.Errorf("as_of should default to TFP_TODAY, got %v", body["as_of"])
	}
	if err := p.stop(); err != nil {
		t.Errorf("SIGTERM: %v\n%s", err, p.logs)
	}
	logs := p.logs.String()
	for _, secret := range []string{"tfp-dev-officer", "tfp-dev-admin", "nobody"} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log contains the token %q", secret)
		}
	}
	if !strings.Contains(logs, "DEVELOPMENT API KEYS") || !strings.Contains(logs, "TFP_TODAY") {
		t.Errorf("start-up warnings missing from the log:\n%s", logs)
	}
}

// TestLockedDataFile: a second process on the same data file gives up after
// the lock timeout with a clear message and a non-zero exit.
func TestLockedDataFile(t *testing.T) {
	dir := t.TempDir()
	start(t, dir)
	cfg := filepath.Join(dir, "cfg.yaml")
	os.WriteFile(cfg, []byte("db_lock_timeout: 200ms\nkeys: []\n"), 0o600)
	out, err := exec.Command(binary, "serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "tfpricing.db"), "--config", cfg).CombinedOutput()
	if err == nil {
		t.Fatalf("second process started on a locked file:\n%s", out)
	}
	if !strings.Contains(string(out), "locked by another process") {
		t.Errorf("message does not say the file is locked:\n%s", out)
	}
}

// TestUnreadableDataFile: a file that is not a bbolt database stops start-up
// with a message that says what to do.
func TestUnreadableDataFile(t *testing.T) {
	db := filepath.Join(t.TempDir(), "tfpricing.db")
	os.WriteFile(db, []byte(strings.Repeat("not a database ", 1000)), 0o600)
	out, err := exec.Command(binary, "serve", "--addr", "127.0.0.1:0", "--db", db).CombinedOutput()
	if err == nil {
		t.Fatalf("started on a garbage file:\n%s", out)
	}
	if !strings.Contains(string(out), "restore it from a backup") || strings.Contains(string(out), "goroutine ") {
		t.Errorf("unclear failure:\n%s", out)
	}
}

// TestCatalogueValidateCommand runs "catalogue validate" on the shipped file
// and on a broken copy.
func TestCatalogueValidateCommand(t *testing.T) {
	out, err := exec.Command(binary, "catalogue", "validate", "../configs/catalog/huzhou-transition-2.0.yaml").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "ok") {
		t.Fatalf("shipped catalogue: %v\n%s", err, out)
	}
	raw, _ := os.ReadFile("../configs/catalog/huzhou-transition-2.0.yaml")
	broken := strings.Replace(string(raw), `baseline_level: "83"`, `baseline_level: "eighty-three"`, 1)
	path := filepath.Join(t.TempDir(), "broken.yaml")
	os.WriteFile(path, []byte(broken), 0o600)
	out, err = exec.Command(binary, "catalogue", "validate", path).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "baseline_level") {
		t.Errorf("broken catalogue accepted or problem not named: %v\n%s", err, out)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
