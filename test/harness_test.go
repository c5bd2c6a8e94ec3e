// Package test holds the end-to-end tests: they build the real tfpricing
// binary, start it on a free loopback port over a temporary data file, and
// talk to it over HTTP as clients would.
package test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// binary is the tfpricing binary built once for the package's tests.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "tfpricing-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "tfpricing")
	build := exec.Command("go", "build", "-race", "-o", binary, "tfpricing/cmd/tfpricing")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building tfpricing:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// proc is a running tfpricing process.
type proc struct {
	t    *testing.T
	cmd  *exec.Cmd
	URL  string
	DB   string
	logs *syncBuffer
	done chan error
}

// start runs the binary with extra environment (e.g. TFP_TODAY) on port 0
// and a data file in dir (a fresh temp dir when empty), and waits until it
// logs the address it listens on.
func start(t *testing.T, dir string, env ...string) *proc {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	p := &proc{t: t, DB: filepath.Join(dir, "tfpricing.db"), logs: &syncBuffer{}, done: make(chan error, 1)}
	p.cmd = exec.Command(binary, "serve")
	p.cmd.Env = append(os.Environ(), "TFP_ADDR=127.0.0.1:0", "TFP_DB="+p.DB)
	p.cmd.Env = append(p.cmd.Env, env...)
	pr, pw := io.Pipe()
	p.cmd.Stdout, p.cmd.Stderr = pw, pw
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			p.logs.WriteLine(line)
			var rec struct{ Message, Addr string }
			if json.Unmarshal([]byte(line), &rec) == nil && rec.Message == "listening" {
				select {
				case addr <- rec.Addr:
				default:
				}
			}
		}
	}()
	go func() { p.done <- p.cmd.Wait(); pw.Close() }()
	select {
	case a := <-addr:
		p.URL = "http://" + a
	case err := <-p.done:
		t.Fatalf("tfpricing exited before listening: %v\n%s", err, p.logs)
	case <-time.After(30 * time.Second):
		p.cmd.Process.Kill()
		t.Fatalf("tfpricing did not start listening in 30s\n%s", p.logs)
	}
	t.Cleanup(func() { p.stop() })
	return p
}

// stop sends SIGTERM and waits for a clean exit.
func (p *proc) stop() error {
	if p.cmd.ProcessState != nil {
		return nil
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.done:
		return err
	case <-time.After(30 * time.Second):
		_ = p.cmd.Process.Kill()
		return fmt.Errorf("no exit 30s after SIGTERM")
	}
}

// doKey is do with an Idempotency-Key header.
func (p *proc) doKey(method, path, role, key string, body any) (int, map[string]any) {
	p.t.Helper()
	status, out, _ := p.send(method, path, role, key, body)
	return status, out
}

// do sends a request with the development key of role ("" for none) and
// returns the status and the decoded JSON body.
func (p *proc) do(method, path, role string, body any) (int, map[string]any, http.Header) {
	p.t.Helper()
	return p.send(method, path, role, "", body)
}

func (p *proc) send(method, path, role, idemKey string, body any) (int, map[string]any, http.Header) {
	p.t.Helper()
	status, raw, h := p.sendRaw(method, path, role, idemKey, body)
	var out map[string]any
	if len(raw) > 0 && strings.Contains(h.Get("Content-Type"), "json") {
		if err := json.Unmarshal(raw, &out); err != nil {
			p.t.Fatalf("%s %s: body is not a JSON object: %v\n%s", method, path, err, raw)
		}
	}
	return status, out, h
}

// sendRaw sends a request and returns the status, the body as sent and the
// headers.
func (p *proc) sendRaw(method, path, role, idemKey string, body any) (int, []byte, http.Header) {
	p.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			p.t.Fatal(err)
		}
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequest(method, p.URL+path, rd)
	if err != nil {
		p.t.Fatal(err)
	}
	if role != "" {
		req.Header.Set("Authorization", "Bearer tfp-dev-"+role)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if idemKey != "" {
		req.Header.Set("Idempotency-Key", idemKey)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, raw, resp.Header
}

// syncBuffer collects the process's log lines for failure messages.
type syncBuffer struct {
	mu    sync.Mutex
	lines []string
}

func (b *syncBuffer) WriteLine(s string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.lines = append(b.lines, s)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.Join(b.lines, "\n")
}

// decodeJSON reads a response body into v.
func decodeJSON(resp *http.Response, v any) error {
	return json.NewDecoder(resp.Body).Decode(v)
}
