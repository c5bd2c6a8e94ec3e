package test

import (
	endian "encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"tfpricing/pricing/audit"
	"tfpricing/pricing/storedfmt"
)

// runTool runs the binary with args and returns what it printed (stdout
// and stderr) and its exit status.
func runTool(t *testing.T, args ...string) (string, int) {
	t.Helper()
	out, err := exec.Command(binary, args...).CombinedOutput()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return string(out), 0
	case errors.As(err, &ee):
		return string(out), ee.ExitCode()
	}
	t.Fatalf("running %v: %v", args, err)
	return "", 0
}

// raw GETs path as role and returns the body as sent.
func (p *proc) raw(path, role string) []byte {
	p.t.Helper()
	req, err := http.NewRequest(http.MethodGet, p.URL+path, nil)
	if err != nil {
		p.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer tfp-dev-"+role)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		p.t.Fatalf("GET %s: %d %v\n%s", path, resp.StatusCode, err, b)
	}
	return b
}

// summary is a decision as GET /v1/decisions lists it.
type summary struct {
	id, kind string
	seq      uint64
}

// decisionsOf lists every decision of the running service, page by page.
func (p *proc) decisionsOf(query string) []summary {
	p.t.Helper()
	var out []summary
	for cursor := ""; ; {
		status, page, _ := p.do(http.MethodGet, "/v1/decisions?limit=100&"+query+cursor, "auditor", nil)
		if status != http.StatusOK {
			p.t.Fatalf("listing decisions: %d %v", status, page)
		}
		for _, it := range page["items"].([]any) {
			m := it.(map[string]any)
			out = append(out, summary{id: m["decision_id"].(string), kind: m["kind"].(string), seq: uint64(m["seq"].(float64))})
		}
		next, _ := page["next_cursor"].(string)
		if next == "" {
			return out
		}
		cursor = "&cursor=" + next
	}
}

var verifiedLine = regexp.MustCompile(`verified (\d+) decisions, head (\d+) ([0-9a-f]{64}): OK`)

// checkAuditTrail replays every decision of the running service over HTTP
// and verifies its chain, stops it, and requires `tfpricing audit verify`
// and `audit replay --all` on its data file to pass with the same answers.
func checkAuditTrail(t *testing.T, p *proc) {
	t.Helper()
	status, v, _ := p.do(http.MethodGet, "/v1/audit/verify", "auditor", nil)
	if status != http.StatusOK || v["ok"] != true {
		t.Fatalf("GET /v1/audit/verify: %d %v", status, v)
	}
	replayable := 0
	for _, d := range p.decisionsOf("") {
		status, res, _ := p.do(http.MethodPost, "/v1/decisions/"+d.id+"/replay", "auditor", nil)
		switch {
		case d.kind == "simulation":
		case status != http.StatusOK || res["match"] != true:
			t.Errorf("replay of decision %s (%s): %d %v", d.id, d.kind, status, res)
		default:
			replayable++
		}
	}
	if err := p.stop(); err != nil {
		t.Fatal(err)
	}
	out, code := runTool(t, "audit", "verify", "--db", p.DB)
	m := verifiedLine.FindStringSubmatch(out)
	head := v["head"].(map[string]any)
	if code != 0 || m == nil || m[1] != fmt.Sprint(v["checked"]) || m[2] != fmt.Sprint(head["seq"]) || m[3] != head["hash"] {
		t.Errorf("audit verify: exit %d, HTTP said %v\n%s", code, v, out)
	}
	out, code = runTool(t, "audit", "replay", "--db", p.DB, "--all")
	if want := fmt.Sprintf("replayed %d decisions: %d match, 0 differ", replayable, replayable); code != 0 || !strings.Contains(out, want) {
		t.Errorf("audit replay --all: exit %d, want %q\n%s", code, want, out)
	}
}

// copyDataFile copies a stopped service's data file into a new directory
// as tfpricing.db, so that the binary can be started on the copy too.
func copyDataFile(t *testing.T, src string) string {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "tfpricing.db")
	if err := os.WriteFile(dst, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return dst
}

// tamper edits a copy of a data file with bbolt directly, as someone
// holding the file would: decisions/ by big-endian sequence, and the chain
// head in meta/.
func tamper(t *testing.T, path string, fn func(t *testing.T, decisions, meta *bolt.Bucket)) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(func(tx *bolt.Tx) error {
		fn(t, tx.Bucket([]byte("decisions")), tx.Bucket([]byte("meta")))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	checkOpen(t, db) // edited values, intact pages
}

// checkOpen runs bbolt's consistency check on an open data file.
func checkOpen(t *testing.T, db *bolt.DB) {
	t.Helper()
	if err := db.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			return err
		}
		return nil
	}); err != nil {
		t.Errorf("bbolt check of %s: %v", db.Path(), err)
	}
}

func seqKey(seq uint64) []byte { return endian.BigEndian.AppendUint64(nil, seq) }

// storedDecision decodes record seq of a decisions bucket (stored in
// storedfmt's envelope, compressed).
func storedDecision(t *testing.T, b *bolt.Bucket, seq uint64) audit.Decision {
	t.Helper()
	canonical, err := storedfmt.DecodeDecision(b.Get(seqKey(seq)))
	if err != nil {
		t.Fatalf("decision %d: %v", seq, err)
	}
	d, err := audit.DecodeDecision(canonical)
	if err != nil {
		t.Fatalf("decision %d: %v", seq, err)
	}
	return d
}

// resealed is d rehashed onto prev, as someone rewriting history would.
func resealed(t *testing.T, d audit.Decision, prev string) audit.Decision {
	t.Helper()
	if err := d.Seal(prev); err != nil {
		t.Fatal(err)
	}
	return d
}

// lastSeq is the sequence number of the last record of a decisions bucket.
func lastSeq(b *bolt.Bucket) uint64 {
	k, _ := b.Cursor().Last()
	return endian.BigEndian.Uint64(k)
}
