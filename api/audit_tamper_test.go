package api_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
	bolt "go.etcd.io/bbolt"

	"tfpricing"
	"tfpricing/api"
	"tfpricing/pricing/audit"
	"tfpricing/pricing/boltstore"
	"tfpricing/pricing/loanbook"
	"tfpricing/pricing/storedfmt"
)

// backup fetches GET /v1/admin/backup into a file and returns its path.
func (e *testEnv) backup() string {
	e.t.Helper()
	rec := e.call(http.MethodGet, "/v1/admin/backup", "admin", "")
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/octet-stream" ||
		!strings.HasPrefix(rec.Header().Get("Content-Disposition"), "attachment; filename=\"tfpricing-") {
		e.t.Fatalf("backup: %d %v", rec.Code, rec.Header())
	}
	path := filepath.Join(e.t.TempDir(), "backup.db")
	if err := os.WriteFile(path, rec.Body.Bytes(), 0o600); err != nil {
		e.t.Fatal(err)
	}
	return path
}

// rewriteDecision changes decision seq in the data file at path with bbolt
// directly, as someone holding the file (and this repository's code) would:
// edit gets the record's canonical bytes, and what it returns is stored in
// storedfmt's envelope, as the store stores records.
func rewriteDecision(t *testing.T, path string, seq uint64, edit func([]byte) []byte) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	key := binary.BigEndian.AppendUint64(nil, seq)
	err = db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("decisions"))
		canonical, err := storedfmt.DecodeDecision(b.Get(key))
		if err != nil {
			return err
		}
		if err := b.Put(key, storedfmt.EncodeDecision(edit(canonical))); err != nil {
			return err
		}
		for err := range tx.Check() { // edited values, intact pages
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// serve returns a test server over the data file at path, for the audit
// routes (it has no loan book), signing checkpoints with key.
func (e *testEnv) serve(path string, key ed25519.PrivateKey) *testEnv {
	e.t.Helper()
	store, err := boltstore.Open(path, boltstore.Options{})
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() {
		if err := store.Check(); err != nil {
			e.t.Errorf("data file check: %v", err)
		}
		store.Close()
	})
	var keys []api.Key
	for _, r := range tfpricing.Roles {
		keys = append(keys, api.Key{ID: "test-" + string(r), Role: r, SHA256: sha256.Sum256([]byte("tfp-dev-" + string(r)))})
	}
	today := func() tfpricing.Date { return *e.today }
	book, err := loanbook.New(context.Background(), loanbook.Config{Store: store, Today: today})
	if err != nil {
		e.t.Fatal(err)
	}
	srv := api.NewServer(api.Deps{Logger: zerolog.Nop(), Book: book, Keys: keys, Today: today, AuditKey: key})
	return &testEnv{t: e.t, srv: srv, store: store, book: book, logs: &bytes.Buffer{}, today: e.today}
}

// The backup is a valid bbolt file with the same content and chain.
func TestBackupRoute(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	e.auditLife()
	path := e.backup()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = db.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			return err
		}
		return nil
	})
	db.Close()
	if err != nil {
		t.Fatalf("tx.Check: %v", err)
	}
	copy := e.serve(path, testAuditKey)
	if copy.digest() != e.digest() {
		t.Error("the backup's content differs from the data file's")
	}
	if v := jsonBody(t, copy.call(http.MethodGet, "/v1/audit/verify", "auditor", "")); v["ok"] != true {
		t.Errorf("the backup's chain: %v", v)
	}
}

// Changing one stored input of an attestation decision: replay names the
// output fields that no longer follow and, unless the record was rehashed,
// its hash; verify names the decision, or the next one when the altered
// record was rehashed alone.
func TestReplayReportsTamperedInput(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	e.auditLife()
	att := e.decisions("kind=attestation").Items[0]
	seq := att.Seq
	// The attestation of 81 (met, -10 bp) becomes 91 (missed, +5 bp).
	alter := func(stored []byte) []byte {
		start, end := bytes.Index(stored, []byte(`"inputs":`)), bytes.Index(stored, []byte(`"kind":`))
		i := bytes.Index(stored[start:end], []byte(`"value":"81"`))
		if start < 0 || end < start || i < 0 {
			t.Fatalf("no attestation value 81 in the inputs of decision %d", seq)
		}
		stored[start+i+len(`"value":"`)] = '9'
		return stored
	}
	for _, tc := range []struct {
		name     string
		reseal   bool
		brokenAt uint64
	}{{"altered", false, seq}, {"altered and rehashed", true, seq + 1}} {
		t.Run(tc.name, func(t *testing.T) {
			path := e.backup()
			rewriteDecision(t, path, seq, func(stored []byte) []byte {
				stored = alter(stored)
				if !tc.reseal {
					return stored
				}
				d, err := audit.DecodeDecision(stored)
				if err != nil || d.Seal(d.PrevHash) != nil {
					t.Fatal(err)
				}
				return d.CanonicalBytes()
			})
			c := e.serve(path, testAuditKey)
			res := jsonBody(t, c.call(http.MethodPost, "/v1/decisions/"+att.DecisionID+"/replay", "auditor", ""))
			paths := map[string]bool{}
			for _, d := range res["differences"].([]any) {
				paths[d.(map[string]any)["path"].(string)] = true
			}
			if res["match"] != false || res["recorded_digest"] == res["replayed_digest"] || !paths["output_digest"] ||
				paths["hash"] == tc.reseal || !paths["schedule.lines[1].rate"] {
				t.Errorf("replay: %v", res)
			}
			v := jsonBody(t, c.call(http.MethodGet, "/v1/audit/verify", "auditor", ""))
			if v["ok"] != false || v["first_broken_seq"] != float64(tc.brokenAt) || v["checked"] != float64(tc.brokenAt-1) {
				t.Errorf("verify: %v, want broken at %d", v, tc.brokenAt)
			}
		})
	}
	// The service's own file was not touched.
	if v := jsonBody(t, e.call(http.MethodGet, "/v1/audit/verify", "auditor", "")); v["ok"] != true {
		t.Errorf("original: %v", v)
	}
}

// The audit routes are the auditor's; the backup is the admin's; the
// public key is both's.
func TestAuditRoles(t *testing.T) {
	e := newEnv(t, "2026-11-27")
	e.storeReference()
	before := e.digest()
	routes := []struct {
		method, path string
		allowed      []string
	}{
		{http.MethodGet, "/v1/decisions", []string{"auditor"}},
		{http.MethodGet, "/v1/decisions/1", []string{"auditor"}},
		{http.MethodPost, "/v1/decisions/1/replay", []string{"auditor"}},
		{http.MethodGet, "/v1/decisions/export", []string{"auditor"}},
		{http.MethodGet, "/v1/audit/verify", []string{"auditor"}},
		{http.MethodGet, "/v1/audit/checkpoint", []string{"auditor"}},
		{http.MethodGet, "/v1/audit/public-key", []string{"auditor", "admin"}},
		{http.MethodGet, "/v1/admin/backup", []string{"admin"}},
	}
	for _, r := range routes {
		for _, role := range []string{"officer", "analyst", "verifier", "auditor", "admin", "", "bad"} {
			want := http.StatusForbidden
			switch {
			case role == "" || role == "bad":
				want = http.StatusUnauthorized
			case strings.Contains(strings.Join(r.allowed, ","), role):
				want = http.StatusOK
			}
			if rec := e.call(r.method, r.path, role, ""); rec.Code != want {
				t.Errorf("%s %s as %q: %d, want %d", r.method, r.path, role, rec.Code, want)
			}
		}
	}
	if e.digest() != before {
		t.Error("the audit routes changed the data file")
	}
	// Without a signing key the checkpoint routes say so.
	c := e.serve(e.backup(), nil)
	for _, path := range []string{"/v1/audit/checkpoint", "/v1/audit/public-key"} {
		if rec := c.call(http.MethodGet, path, "auditor", ""); rec.Code != http.StatusServiceUnavailable {
			t.Errorf("%s without a key: %d", path, rec.Code)
		}
	}
}
