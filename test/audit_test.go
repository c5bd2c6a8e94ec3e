package test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"tfpricing/pricing/storedfmt"
)

// smallLoanLife books the Appendix A loan from full terms on 2024-03-15,
// takes a checkpoint, attests 2023 and corrects it; restarts on
// 2025-06-25 (the sweep finds 2024 not reported), publishes an LPR fixing
// and takes a second checkpoint. It returns the stopped service's
// data file, the checkpoint files, the public key file and the sequence
// number of the attestation decision.
func smallLoanLife(t *testing.T) (db string, early, late, pub string, attSeq uint64) {
	t.Helper()
	dir := t.TempDir()
	p := start(t, dir, "TFP_TODAY=2024-03-15")
	status, loan, _ := p.do("POST", "/v1/loans", "officer", appendixTerms)
	if status != 201 {
		t.Fatalf("booking: %d %v", status, loan)
	}
	id := loan["id"].(string)
	save := func(name string, b []byte) string {
		path := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	early = save("early.json", p.raw("/v1/audit/checkpoint", "auditor"))
	for i, value := range []string{"79", "78"} { // an attestation, then its correction
		status, out := p.doKey("POST", "/v1/loans/"+id+"/attestations", "verifier", fmt.Sprint("k", i), attestation(2023, value, ""))
		if status != 201 {
			t.Fatalf("attestation %s: %d %v", value, status, out)
		}
	}
	p.stop()
	// A year on, the start-up sweep finds 2024 not reported; then a fixing.
	p = start(t, dir, "TFP_TODAY=2025-06-25")
	status, out, _ := p.do("POST", "/v1/benchmarks/lpr", "admin", `{"effective_date": "2025-06-24", "one_year": "2.90", "five_year": "3.40"}`)
	if status != 201 || out["changed"] != 1.0 {
		t.Fatalf("fixing: %d %v", status, out)
	}
	late = save("late.json", p.raw("/v1/audit/checkpoint", "auditor"))
	pub = save("key.json", p.raw("/v1/audit/public-key", "auditor"))
	atts := p.decisionsOf("kind=attestation")
	if len(atts) != 1 {
		t.Fatalf("attestation decisions: %v", atts)
	}
	if err := p.stop(); err != nil {
		t.Fatal(err)
	}
	return p.DB, early, late, pub, atts[0].seq
}

// TestAuditTamperCases alters copies of a real data file in each way a
// history can be falsified; `tfpricing audit verify` and GET
// /v1/audit/verify on the copy both name the first broken decision. A
// chain recomputed from the altered record on is caught only by the
// checkpoint signed before the rewrite.
func TestAuditTamperCases(t *testing.T) {
	db, early, late, pub, k := smallLoanLife(t)
	if out, code := runTool(t, "audit", "verify", "--db", db, "--checkpoint", early, "--checkpoint", late, "--public-key", pub); code != 0 {
		t.Fatalf("the untouched file: exit %d\n%s", code, out)
	}
	cases := []struct {
		name     string
		edit     func(t *testing.T, b, meta *bolt.Bucket)
		brokenAt func(n uint64) uint64
		reason   string
	}{
		{"altered", func(t *testing.T, b, _ *bolt.Bucket) {
			v := storedDecision(t, b, k).CanonicalBytes()
			altered := strings.Replace(string(v), `"value":"79"`, `"value":"77"`, 1)
			if altered == string(v) {
				t.Fatalf("decision %d has no value 79 to alter", k)
			}
			_ = b.Put(seqKey(k), storedfmt.EncodeDecision([]byte(altered)))
		}, func(uint64) uint64 { return k }, "hash is not the hash of its content"},
		{"deleted", func(t *testing.T, b, _ *bolt.Bucket) { _ = b.Delete(seqKey(k)) },
			func(uint64) uint64 { return k }, fmt.Sprintf("expected record %d after %d but found record %d", k, k-1, k+1)},
		{"inserted", func(t *testing.T, b, _ *bolt.Bucket) {
			for seq := lastSeq(b); seq >= k; seq-- {
				_ = b.Put(seqKey(seq+1), append([]byte(nil), b.Get(seqKey(seq))...))
			}
			forged := storedDecision(t, b, k)
			forged.Actor.KeyID = "someone-else"
			_ = b.Put(seqKey(k), storedfmt.EncodeDecision(resealed(t, forged, forged.PrevHash).CanonicalBytes()))
		}, func(uint64) uint64 { return k + 1 }, fmt.Sprintf("expected record %d after %d but found record %d", k+1, k, k)},
		{"swapped", func(t *testing.T, b, _ *bolt.Bucket) {
			a, c := append([]byte(nil), b.Get(seqKey(k))...), append([]byte(nil), b.Get(seqKey(k+1))...)
			_ = b.Put(seqKey(k), c)
			_ = b.Put(seqKey(k+1), a)
		}, func(uint64) uint64 { return k }, fmt.Sprintf("expected record %d after %d but found record %d", k, k-1, k+1)},
		{"recomputed", func(t *testing.T, b, meta *bolt.Bucket) {
			prev := storedDecision(t, b, k-1).Hash
			for seq := k; seq <= lastSeq(b); seq++ {
				d := storedDecision(t, b, seq)
				if seq == k {
					d.Actor.KeyID = "someone-else"
				}
				d = resealed(t, d, prev)
				_ = b.Put(seqKey(seq), storedfmt.EncodeDecision(d.CanonicalBytes()))
				prev = d.Hash
			}
			_ = meta.Put([]byte("chain_head"), []byte(fmt.Sprintf("%d %s", lastSeq(b), prev)))
		}, func(n uint64) uint64 { return n }, "does not have the hash signed in the checkpoint"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cp := copyDataFile(t, db)
			var n uint64
			tamper(t, cp, func(t *testing.T, b, meta *bolt.Bucket) {
				n = lastSeq(b)
				c.edit(t, b, meta)
			})
			want := c.brokenAt(n)
			args := []string{"audit", "verify", "--db", cp}
			if c.name == "recomputed" {
				// Without the checkpoint the rewritten chain is consistent.
				if out, code := runTool(t, args...); code != 0 {
					t.Errorf("recomputed chain without a checkpoint: exit %d\n%s", code, out)
				}
				args = append(args, "--checkpoint", early, "--checkpoint", late, "--public-key", pub)
			}
			out, code := runTool(t, args...)
			if code != 1 || !strings.Contains(out, fmt.Sprintf("chain broken at decision %d: ", want)) || !strings.Contains(out, c.reason) {
				t.Errorf("audit verify: exit %d, want 1 naming decision %d (%s)\n%s", code, want, c.reason, out)
			}
			if c.name == "recomputed" && !strings.Contains(out, "hash matches") {
				t.Errorf("the early checkpoint, before the rewrite, should still match:\n%s", out)
			}
			p := start(t, filepath.Dir(cp), "TFP_TODAY=2025-06-25")
			_, v, _ := p.do(http.MethodGet, "/v1/audit/verify", "auditor", nil)
			switch {
			case c.name == "recomputed":
				if v["ok"] != true { // the service has no checkpoint to hold it to
					t.Errorf("GET /v1/audit/verify on the recomputed copy: %v", v)
				}
			case v["ok"] != false || v["first_broken_seq"] != float64(want):
				t.Errorf("GET /v1/audit/verify on the copy: %v, want broken at %d", v, want)
			}
		})
	}
}

// TestAuditReplayAfterConfigChange books and attests under the shipped
// catalogue and policy, then restarts with other files in configs: a new
// policy 2027.1, the catalogue 2.2 closed (so with another digest) and a
// new 2.3. Every decision, old and new, still replays from the documents
// stored by digest, over HTTP and offline.
func TestAuditReplayAfterConfigChange(t *testing.T) {
	dir := t.TempDir()
	p := start(t, dir, "TFP_TODAY=2026-11-27")
	status, loan, _ := p.do("POST", "/v1/loans", "officer", strings.Replace(crashTerms, "REF", "CFG-1", 1))
	if status != 201 {
		t.Fatalf("booking: %d %v", status, loan)
	}
	p.stop()

	cfg := changedConfig(t, dir)
	p = start(t, dir, "TFP_TODAY=2027-03-01", "TFP_CONFIG="+cfg, "TFP_DEV=1")
	id := loan["id"].(string)
	if status, out := p.doKey("POST", "/v1/loans/"+id+"/attestations", "verifier", "c1", attestation(2026, "81", "")); status != 201 {
		t.Fatalf("attestation after the change: %d %v", status, out)
	}
	// Quoted on 2027-03-01, its SPTs are 2027 and 2028 (a 2026 target would
	// be before the quote's year, a 422).
	quote := strings.NewReplacer(`"as_of": "2026-11-27"`, `"as_of": "2027-03-01"`, `"start_date": "2026-12-01"`, `"start_date": "2027-04-01"`,
		`{"year": 2026, "value": "82"}, {"year": 2027, "value": "76"}`, `{"year": 2027, "value": "82"}, {"year": 2028, "value": "76"}`).Replace(crashTerms)
	quote = quote[strings.Index(quote, `"terms": `)+len(`"terms": `) : len(quote)-1]
	status, q, _ := p.do("POST", "/v1/quotes", "officer", quote)
	if status != 201 || q["policy"].(map[string]any)["version"] != "2027.1" {
		t.Fatalf("quote under the new policy: %d %v", status, q)
	}
	kinds := map[string]int{}
	for _, d := range p.decisionsOf("") {
		kinds[d.kind]++
	}
	// Loads: 2026.1, the shipped 2027.1 and the changed 2027.1; the shipped
	// 2.0, 2.1 and 2.2, then the closed 2.2 and the new 2.3.
	if kinds["policy_load"] != 3 || kinds["catalogue_load"] != 5 || kinds["attestation"] != 1 || kinds["quote"] != 1 {
		t.Errorf("decisions: %v", kinds)
	}
	checkAuditTrail(t, p)
}

// changedConfig writes a configuration whose policy and catalogue
// directories hold the shipped files changed: policy 2027.1 from
// 2027-01-01 with other credit spreads beside 2026.1, and catalogue 2.2
// closed on 2027-07-01 beside a 2.3 from then on.
func changedConfig(t *testing.T, dir string) string {
	t.Helper()
	read := func(path string) string {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	write := func(path, text string) {
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	pol := read("../configs/policy/2026.1.yaml")
	write(filepath.Join(dir, "policy", "2026.1.yaml"), pol)
	pol = strings.Replace(strings.Replace(pol, `version: "2026.1"`, `version: "2027.1"`, 1), "effective_from: 2026-01-01", "effective_from: 2027-01-01", 1)
	write(filepath.Join(dir, "policy", "2027.1.yaml"), strings.Replace(pol, "  AA: 50", "  AA: 45", 1))
	cat := read("../configs/catalog/huzhou-transition-2.2.yaml")
	write(filepath.Join(dir, "catalog", "2.2.yaml"), strings.Replace(cat, "effective_to: null", "effective_to: 2027-07-01", 1))
	cat = strings.Replace(strings.Replace(cat, `version: "2.2"`, `version: "2.3"`, 1), "effective_from: 2026-06-01", "effective_from: 2027-07-01", 1)
	write(filepath.Join(dir, "catalog", "2.3.yaml"), cat)
	def := read("../configs/default.yaml")
	def = strings.Replace(def, `catalog_dir: ""`, fmt.Sprintf("catalog_dir: %q", filepath.Join(dir, "catalog")), 1)
	def = strings.Replace(def, `policy_dir: ""`, fmt.Sprintf("policy_dir: %q", filepath.Join(dir, "policy")), 1)
	path := filepath.Join(dir, "config.yaml")
	write(path, def)
	return path
}
