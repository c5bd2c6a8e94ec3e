package test

import (
	"bytes"
	endian "encoding/binary"
	"fmt"
	"net"
	"net/http"
	"net/http/httptrace"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"tfpricing/pricing/boltstore"
)

// devConfig writes a config file with the development keys and the given
// extra YAML, for tests that need other server settings.
func devConfig(t *testing.T, dir, extra string) string {
	t.Helper()
	def, err := os.ReadFile("../configs/default.yaml")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, append(def, []byte("\n"+extra)...), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestDevKeysRefusedInConfigFile: a configuration file holding the public
// development keys does not start without --dev.
func TestDevKeysRefusedInConfigFile(t *testing.T) {
	dir := t.TempDir()
	cfg := devConfig(t, dir, "")
	out, err := exec.Command(binary, "serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "x.db"), "--config", cfg).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "--dev") {
		t.Fatalf("started with dev keys in a config file: %v\n%s", err, out)
	}
}

// TestSlowClientCutOff: a client trickling its headers is cut off by the
// read-header timeout.
func TestSlowClientCutOff(t *testing.T) {
	dir := t.TempDir()
	cfg := strings.Replace(devConfig(t, dir, ""), "", "", 1)
	raw, _ := os.ReadFile(cfg)
	os.WriteFile(cfg, bytes.Replace(raw, []byte("read_header_timeout: 5s"), []byte("read_header_timeout: 300ms"), 1), 0o600)
	p := start(t, dir, "TFP_CONFIG="+cfg, "TFP_DEV=1")
	conn, err := net.Dial("tcp", strings.TrimPrefix(p.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	fmt.Fprint(conn, "GET /healthz HTTP/1.1\r\n")
	var cut bool
	for i := 0; i < 20; i++ {
		time.Sleep(100 * time.Millisecond)
		if _, err := fmt.Fprint(conn, "X-Slow: 1\r\n"); err != nil {
			cut = true
			break
		}
	}
	if !cut {
		buf := make([]byte, 512)
		conn.SetReadDeadline(time.Now().Add(time.Second))
		n, err := conn.Read(buf)
		cut = err != nil || strings.Contains(string(buf[:n]), "408") || strings.Contains(string(buf[:n]), "400")
	}
	if !cut || time.Since(start) > 10*time.Second {
		t.Errorf("a trickling client was not cut off within the read-header timeout (cut=%v after %s)", cut, time.Since(start))
	}
}

// TestOversizeAndNestedBodies: bodies over the limit are 413, absurdly
// nested ones 400, both as problem documents.
func TestOversizeAndNestedBodies(t *testing.T) {
	p := start(t, "", "TFP_TODAY=2026-11-27")
	big := `{"pathway_id": "` + strings.Repeat("x", 2<<20) + `"}`
	status, body, _ := p.do("POST", "/v1/eligibility", "officer", big)
	if status != http.StatusRequestEntityTooLarge || body["status"] != 413.0 {
		t.Errorf("oversize: %d %v", status, body)
	}
	nested := `{"kpis": ` + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + `}`
	status, body, _ = p.do("POST", "/v1/eligibility", "officer", nested)
	if status != http.StatusBadRequest || body["status"] != 400.0 {
		t.Errorf("nested: %d %v", status, body)
	}
}

// TestLogRedaction: neither API keys nor attestation evidence appear in the
// log, whatever the request.
func TestLogRedaction(t *testing.T) {
	p := start(t, "", "TFP_TODAY=2027-03-10")
	status, loan, _ := p.do("POST", "/v1/loans", "officer", strings.Replace(crashTerms, "REF", "LOG-1", 1))
	if status != 201 {
		t.Fatalf("booking: %d %v", status, loan)
	}
	evidence := strings.Repeat("5e", 32)
	body := strings.Replace(attestation(2026, "80", ""), strings.Repeat("ab", 32), evidence, 1)
	if status, out := p.doKey("POST", "/v1/loans/"+loan["id"].(string)+"/attestations", "verifier", "redact-1", body); status != 201 {
		t.Fatalf("attestation: %d %v", status, out)
	}
	p.doKey("POST", "/v1/loans/L-404/attestations", "verifier", "redact-2", body)
	p.do("GET", "/v1/catalogue", "bogus-secret-token", nil)
	p.stop()
	logs := p.logs.String()
	for _, secret := range []string{evidence, "tfp-dev-verifier", "tfp-dev-officer", "bogus-secret-token"} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log contains %q", secret)
		}
	}
}

// TestCorruptDataFile: bytes flipped in the meta pages, or in a data page,
// of a copy of a real data file stop start-up cleanly: a message naming the
// file and what to do, a non-zero exit, no panic trace.
func TestCorruptDataFile(t *testing.T) {
	dir := t.TempDir()
	p := start(t, dir, "TFP_TODAY=2027-03-10")
	for i := range 20 {
		p.do("POST", "/v1/loans", "officer", strings.Replace(crashTerms, "REF", fmt.Sprint("CO-", i), 1))
	}
	p.stop()
	orig, err := os.ReadFile(filepath.Join(dir, "tfpricing.db"))
	if err != nil {
		t.Fatal(err)
	}
	// The page size, from the first meta page (after its 16-byte page
	// header: magic, version, page size, little-endian): 8192 for a file
	// made now, 4096 before.
	page := int(endian.LittleEndian.Uint32(orig[16+8:]))
	if page != 4096 && page != 8192 {
		t.Fatalf("page size %d read from the file", page)
	}
	cases := map[string]func([]byte){
		"both meta pages": func(b []byte) {
			for _, off := range []int{16, page + 16} {
				for i := range 32 {
					b[off+i] ^= 0xff
				}
			}
		},
		"a data page": func(b []byte) {
			for pg := 4; pg*page+page <= len(b); pg += 3 {
				for i := 0; i < 16; i++ {
					b[pg*page+i] ^= 0x5a
				}
			}
		},
	}
	for name, corrupt := range cases {
		t.Run(name, func(t *testing.T) {
			b := bytes.Clone(orig)
			corrupt(b)
			db := filepath.Join(t.TempDir(), "copy.db")
			os.WriteFile(db, b, 0o600)
			out, err := exec.Command(binary, "serve", "--addr", "127.0.0.1:0", "--db", db).CombinedOutput()
			if err == nil {
				t.Fatalf("started on a corrupt file:\n%s", out)
			}
			if !strings.Contains(string(out), db) || !strings.Contains(string(out), "backup") || strings.Contains(string(out), "goroutine ") {
				t.Errorf("unclear failure:\n%s", out)
			}
		})
	}
}

// TestGracefulShutdown: requests in flight when SIGTERM arrives complete
// with 2xx, the process exits 0, and the data file passes tx.Check().
func TestGracefulShutdown(t *testing.T) {
	dir := t.TempDir()
	p := start(t, dir, "TFP_TODAY=2026-11-27")
	// Monte Carlo simulations of 50,000 runs each take long enough to be in
	// flight when the signal arrives.
	sim := `{"quote": ` + strings.Replace(strings.Replace(crashTerms, `{"external_ref": "REF", "terms": `, "", 1), `"as_of": "2026-11-27"}}`, `"as_of": "2026-11-27"}`, 1) +
		`, "scenarios": [{"name": "mc", "monte_carlo": {"runs": 50000, "seed": 7, "kpis": {"pet_fdy_energy": {"annual_change_pct_mean": "-5", "annual_change_pct_sd": "3"}}}}]}`
	var wg, sent sync.WaitGroup
	codes := make([]int, 4)
	for i := range codes {
		wg.Add(1)
		sent.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest("POST", p.URL+"/v1/simulations", strings.NewReader(sim))
			req.Header.Set("Authorization", "Bearer tfp-dev-analyst")
			req.Header.Set("Content-Type", "application/json")
			// Signal once the whole request is on the wire, so SIGTERM finds
			// it in flight however slow the machine.
			var once sync.Once
			req = req.WithContext(httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{
				WroteRequest: func(httptrace.WroteRequestInfo) { once.Do(sent.Done) }}))
			resp, err := http.DefaultClient.Do(req)
			once.Do(sent.Done) // never wait for a request that failed to send
			if err != nil {
				codes[i] = -1
				return
			}
			resp.Body.Close()
			codes[i] = resp.StatusCode
		}()
	}
	sent.Wait()
	time.Sleep(50 * time.Millisecond)
	p.cmd.Process.Signal(syscall.SIGTERM)
	wg.Wait()
	select {
	case err := <-p.done:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v\n%s", err, p.logs)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no exit within 30s of SIGTERM")
	}
	for i, c := range codes {
		if c != 200 {
			t.Errorf("in-flight request %d ended with %d", i, c)
		}
	}
	s, err := boltstore.Open(filepath.Join(dir, "tfpricing.db"), boltstore.Options{ReadOnly: true, LockTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Check(); err != nil {
		t.Error(err)
	}
}
