package test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"tfpricing/pricing/pgstore/pgtest"
)

// Several replicas of the real binary over one PostgreSQL database
// (issue 14). Each test has a database of its own (pgtest: skipped without
// PostgreSQL unless TFP_TEST_POSTGRES or CI=true is set).

// replicaSet is the replicas of one test, all over one database.
type replicaSet struct {
	t   *testing.T
	dir string
	env []string
	mu  sync.Mutex
	ps  []*proc
}

func newReplicas(t *testing.T, n int, dbURL string) *replicaSet {
	dir := t.TempDir()
	r := &replicaSet{t: t, dir: dir, env: []string{"TFP_TODAY=2027-03-10", "TFP_DB=" + dbURL,
		"TFP_AUDIT_KEY=" + filepath.Join(dir, "audit.key")}}
	// The replicas share one audit signing key (audit.signing_key_file).
	_, key, _ := ed25519.GenerateKey(nil)
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "audit.key"), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	for range n {
		r.ps = append(r.ps, start(t, dir, r.env...))
	}
	return r
}

func (r *replicaSet) get(i int) *proc {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.ps[i]
}

// kill sends SIGKILL to replica i and starts it again.
func (r *replicaSet) kill(i int) {
	p := r.get(i)
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
	q := start(r.t, r.dir, r.env...)
	r.mu.Lock()
	r.ps[i] = q
	r.mu.Unlock()
}

// call sends one request; err is a transport error (the replica is gone).
func call(c *http.Client, base, method, path, role, key, body string) (int, []byte, error) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, base+path, rd)
	req.Header.Set("Authorization", "Bearer tfp-dev-"+role)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	return resp.StatusCode, raw, err
}

func field(raw []byte, path ...string) string {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return ""
	}
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		v = m[k]
	}
	s, _ := v.(string)
	return s
}

// replicaQuote is DESIGN.md §7's quote, starting after TFP_TODAY.
const replicaQuote = `{"borrower": {"name": "湖州某化纤有限公司", "uscc": "91350100M000100Y43", "industry_code": "C2822",
  "just_transition_score": 72, "obsolete_capacity": false, "new_capacity": false, "credit_rating": "AA", "esg_score": 70,
  "carbon_efficiency_grade": 3},
 "pathway_id": "C28-P01",
 "kpis": [{"metric_id": "pet_fdy_energy", "baseline": {"year": 2026, "value": "88"},
           "targets": [{"year": 2027, "value": "82"}, {"year": 2028, "value": "76"}]}],
 "facility": {"amount": "50000000.00", "currency": "CNY", "start_date": "2027-04-01",
              "tenor_months": 36, "repayment": "equal_principal", "payment_frequency": "quarterly"}}`

func bookingBody(ref string) string {
	return strings.Replace(crashTerms, `"REF"`, `"`+ref+`"`, 1)
}

// sent is an attestation request sent with its Idempotency-Key.
type sent struct{ loan, key, body string }

// resendAndCheck sends every attestation not acknowledged again with its
// Idempotency-Key (each either committed before the kill, and its stored
// answer comes back, or is made now), then requires every acknowledged
// attestation to be stored exactly once.
func resendAndCheck(t *testing.T, p *proc, pending []sent, acked map[string]string, loans []string) {
	t.Helper()
	for _, s := range pending {
		status, out := p.doKey("POST", "/v1/loans/"+s.loan+"/attestations", "verifier", s.key, s.body)
		if status != 201 {
			t.Fatalf("final resend: %d %v", status, out)
		}
		acked[s.key] = out["attestation"].(map[string]any)["id"].(string)
	}
	stored := attestedIDs(t, p, loans)
	ids := map[string]bool{}
	for key, id := range acked {
		if !stored[id] {
			t.Errorf("acknowledged attestation %s (key %s) is missing", id, key)
		}
		if ids[id] {
			t.Errorf("two keys acknowledged with the same attestation %s", id)
		}
		ids[id] = true
	}
	if len(stored) != len(acked) {
		t.Errorf("%d attestations stored for %d distinct keys: an effect was duplicated or lost", len(stored), len(acked))
	}
}

// attestedIDs lists every attestation of the loans, failing on a
// duplicate id.
func attestedIDs(t *testing.T, p *proc, loans []string) map[string]bool {
	t.Helper()
	stored := map[string]bool{}
	for _, l := range loans {
		// The list paginates (DESIGN.md §7): follow next_cursor to the end.
		for path := "/v1/loans/" + l + "/attestations?limit=500"; path != ""; {
			_, list, _ := p.do("GET", path, "auditor", nil)
			for _, it := range list["items"].([]any) {
				id := it.(map[string]any)["id"].(string)
				if stored[id] {
					t.Errorf("attestation %s listed twice", id)
				}
				stored[id] = true
			}
			path = ""
			if next, ok := list["next_cursor"].(string); ok {
				path = "/v1/loans/" + l + "/attestations?limit=500&cursor=" + next
			}
		}
	}
	return stored
}

// verifyAll checks the chain over the API and replays every decision with
// the offline tool against the database.
func verifyAll(t *testing.T, p *proc, dbURL string) {
	t.Helper()
	_, v, _ := p.do("GET", "/v1/audit/verify", "auditor", nil)
	if v["ok"] != true || v["first_broken_seq"] != nil {
		t.Errorf("chain verification: %v", v)
	}
	out, err := exec.Command(binary, "audit", "verify", "--db", dbURL).CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte(": OK")) {
		t.Errorf("audit verify --db postgres://…: %v\n%s", err, out)
	}
	out, err = exec.Command(binary, "audit", "replay", "--all", "--db", dbURL).CombinedOutput()
	if err != nil {
		t.Errorf("audit replay --all --db postgres://…: %v\n%s", err, out)
	}
}

// TestReplicasKill runs three replicas under concurrent bookings, quotes
// and attestations on all of them and kills a random one with SIGKILL in
// each of 20 rounds: every acknowledged write is present exactly once, the
// chain verifies without a gap and every decision replays.
func TestReplicasKill(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-replica kill test skipped in -short mode")
	}
	dbURL := pgtest.Database(t)
	r := newReplicas(t, 3, dbURL)
	var loans []string
	for i := range 6 {
		status, out, _ := r.get(i%3).do("POST", "/v1/loans", "officer", bookingBody(fmt.Sprint("RK-", i)))
		if status != 201 {
			t.Fatalf("booking: %d %v", status, out)
		}
		loans = append(loans, out["id"].(string))
	}
	var mu sync.Mutex
	acked := map[string]string{}      // Idempotency-Key → attestation id
	bookedRefs := map[string]string{} // external ref → loan id, acknowledged bookings
	var pending []sent
	quotes := 0
	rng := rand.New(rand.NewPCG(20261201, 14))
	n := 0
	const rounds = 20
	for round := range rounds {
		for _, s := range pending {
			status, out := r.get(0).doKey("POST", "/v1/loans/"+s.loan+"/attestations", "verifier", s.key, s.body)
			if status != 201 {
				t.Fatalf("round %d resend %s: %d %v\n%s", round, s.key, status, out, r.get(0).logs)
			}
			acked[s.key] = out["attestation"].(map[string]any)["id"].(string)
		}
		pending = nil
		victim := rng.IntN(3)
		killAt := time.Duration(100+rng.IntN(200)) * time.Millisecond
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for c := range 6 {
			base := r.get(c % 3).URL
			wg.Go(func() {
				client := &http.Client{Timeout: 10 * time.Second}
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					switch i % 8 {
					case 3: // a quote
						if status, _, err := call(client, base, "POST", "/v1/quotes", "officer", "", replicaQuote); err != nil {
							return
						} else if status == 201 {
							mu.Lock()
							quotes++
							mu.Unlock()
						}
						continue
					case 6: // a booking
						ref := fmt.Sprintf("RK-%d-%d-%d", round, c, i)
						status, raw, err := call(client, base, "POST", "/v1/loans", "officer", "", bookingBody(ref))
						if err != nil {
							return
						}
						if status == 201 {
							mu.Lock()
							bookedRefs[ref] = field(raw, "id")
							mu.Unlock()
						}
						continue
					}
					mu.Lock()
					n++
					s := sent{loan: loans[(c+i)%len(loans)], key: fmt.Sprintf("r%d-c%d-%d", round, c, i),
						body: attestation(2026, fmt.Sprint(70+n%20), "")}
					mu.Unlock()
					status, id, err := postRaw(client, base, s.loan, s.key, s.body)
					mu.Lock()
					if err == nil && status == 201 {
						acked[s.key] = id
					} else {
						pending = append(pending, s)
					}
					mu.Unlock()
					if err != nil {
						return // the replica is gone
					}
				}
			})
		}
		time.Sleep(killAt)
		r.kill(victim)
		close(stop)
		wg.Wait()
	}
	p := r.get(0)
	resendAndCheck(t, p, pending, acked, loans)
	// Every acknowledged booking is there once (a booking has no key: one
	// not acknowledged may or may not have been made, never twice).
	refs := map[string]int{}
	for path := "/v1/loans?limit=500"; ; {
		status, page, _ := p.do("GET", path, "auditor", nil)
		if status != 200 {
			t.Fatalf("GET %s: %d %v", path, status, page)
		}
		items, _ := page["items"].([]any)
		for _, it := range items {
			refs[it.(map[string]any)["external_ref"].(string)]++
		}
		next, _ := page["next_cursor"].(string)
		if next == "" || len(items) == 0 {
			break
		}
		path = "/v1/loans?limit=500&cursor=" + next
	}
	for ref, id := range bookedRefs {
		if refs[ref] != 1 {
			t.Errorf("acknowledged booking %s (%s) stored %d times", ref, id, refs[ref])
		}
	}
	for ref, c := range refs {
		if c > 1 {
			t.Errorf("booking %s stored %d times", ref, c)
		}
	}
	verifyAll(t, p, dbURL)
	t.Logf("%d kills over 3 replicas: %d attestations, %d bookings and %d quotes acknowledged",
		rounds, len(acked), len(bookedRefs), quotes)
}
