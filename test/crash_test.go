package test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"tfpricing/pricing/boltstore"
)

// TestCrashSafety kills the real binary with SIGKILL at random moments while
// several clients post attestations, restarts it, and checks that every
// acknowledged attestation is present, none is duplicated, and the data
// file passes bbolt's consistency check.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test skipped in -short mode")
	}
	dir := t.TempDir()
	env := "TFP_TODAY=2027-03-10"
	p := start(t, dir, env)
	var loans []string
	for i := range 3 {
		body := bytes.Replace([]byte(crashTerms), []byte("REF"), []byte(fmt.Sprint("CR-", i)), 1)
		status, loan, _ := p.do("POST", "/v1/loans", "officer", string(body))
		if status != 201 {
			t.Fatalf("booking: %d %v", status, loan)
		}
		loans = append(loans, loan["id"].(string))
	}
	p.stop()

	var mu sync.Mutex
	acked := map[string]string{} // key → attestation id
	var pending []sent           // sent, not acknowledged
	rng := rand.New(rand.NewPCG(20261127, 1))
	n := 0
	const rounds = 20
	for round := range rounds {
		p = start(t, dir, env)
		// Re-send what was not acknowledged before the last kill: either it was
		// committed (the stored response comes back) or it was not (it is
		// applied now) — never twice.
		for _, s := range pending {
			status, out := p.doKey("POST", "/v1/loans/"+s.loan+"/attestations", "verifier", s.key, s.body)
			if status != 201 {
				t.Fatalf("round %d resend %s: %d %v", round, s.key, status, out)
			}
			acked[s.key] = out["attestation"].(map[string]any)["id"].(string)
		}
		pending = nil
		killAt := time.Duration(20+rng.IntN(200)) * time.Millisecond
		var wg sync.WaitGroup
		for c := range 4 {
			wg.Add(1)
			go func(c int) {
				defer wg.Done()
				client := &http.Client{Timeout: 5 * time.Second}
				for i := 0; ; i++ {
					mu.Lock()
					n++
					s := sent{loan: loans[(c+i)%len(loans)], key: fmt.Sprintf("r%d-c%d-%d", round, c, i),
						body: attestation(2026, fmt.Sprint(70+n%20), "")}
					mu.Unlock()
					status, id, err := postRaw(client, p.URL, s.loan, s.key, s.body)
					mu.Lock()
					if err == nil && status == 201 {
						acked[s.key] = id
					} else {
						pending = append(pending, s)
					}
					mu.Unlock()
					if err != nil {
						return // the server is gone
					}
				}
			}(c)
		}
		time.Sleep(killAt)
		_ = p.cmd.Process.Signal(syscall.SIGKILL)
		<-p.done
		wg.Wait()
	}
	p = start(t, dir, env)
	resendAndCheck(t, p, pending, acked, loans)
	if err := p.stop(); err != nil {
		t.Fatal(err)
	}
	s, err := boltstore.Open(filepath.Join(dir, "tfpricing.db"), boltstore.Options{ReadOnly: true, LockTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Check(); err != nil {
		t.Errorf("data file after %d kills: %v", rounds, err)
	}
	t.Logf("%d kills, %d attestations acknowledged", rounds, len(acked))
}

func postRaw(c *http.Client, base, loan, key, body string) (int, string, error) {
	req, _ := http.NewRequest("POST", base+"/v1/loans/"+loan+"/attestations", bytes.NewReader([]byte(body)))
	req.Header.Set("Authorization", "Bearer tfp-dev-verifier")
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	resp, err := c.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	var out struct {
		Attestation struct{ ID string } `json:"attestation"`
	}
	if err := decodeJSON(resp, &out); err != nil {
		return resp.StatusCode, "", err
	}
	return resp.StatusCode, out.Attestation.ID, nil
}

// crashTerms books a loan from 2026-12-01 priced as of 2026-11-27.
const crashTerms = `{"external_ref": "REF", "terms": {
 "borrower": {"uscc": "91350100M000100Y43", "industry_code": "C2822", "just_transition_score": 72,
   "credit_rating": "AA", "esg_score": 70},
 "pathway_id": "C28-P01",
 "kpis": [{"metric_id": "pet_fdy_energy", "baseline": {"year": 2025, "value": "88"},
   "targets": [{"year": 2026, "value": "82"}, {"year": 2027, "value": "76"}]}],
 "facility": {"amount": "10000000.00", "currency": "CNY", "start_date": "2026-12-01", "tenor_months": 24,
   "repayment": "bullet", "payment_frequency": "quarterly"},
 "as_of": "2026-11-27"}}`
