package test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// An unknown command or flag, run from a fresh directory, prints the usage,
// exits 2 and creates nothing (no ./data, no listener).
func TestCLIRefusesUnknown(t *testing.T) {
	for _, args := range [][]string{{"bogus"}, {"verify"}, {"--bogus"}, {"serve", "--bogus"}, {"audit", "bogus"}} {
		dir := t.TempDir()
		cmd := exec.Command(binary, args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		ee, ok := err.(*exec.ExitError)
		if !ok || ee.ExitCode() != 2 || !strings.Contains(string(out), "usage") && !strings.Contains(string(out), "tfpricing [serve]") {
			t.Errorf("%q: %v\n%s", args, err, out)
		}
		if entries, _ := os.ReadDir(dir); len(entries) > 0 {
			t.Errorf("%q left %v", args, entries)
		}
	}
	out, err := exec.Command(binary, "serve", "--help").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "TFP_DEV") {
		t.Errorf("serve --help: %v\n%s", err, out)
	}
}

// The public development keys are not served on a non-loopback address
// unless --dev or TFP_DEV=1 says so.
func TestDevKeysOffLoopback(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(binary, "serve", "--addr", "0.0.0.0:0", "--db", dir+"/x.db")
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || !strings.Contains(string(out), "--dev") {
		t.Fatalf("started with development keys on 0.0.0.0: %v\n%s", err, out)
	}
	if _, err := os.Stat(dir + "/x.db"); !os.IsNotExist(err) {
		t.Errorf("the data file was created: %v", err)
	}
	p := start(t, "", "TFP_ADDR=0.0.0.0:0", "TFP_DEV=1")
	if status, _, _ := p.do("GET", "/healthz", "", nil); status != 200 {
		t.Errorf("with TFP_DEV=1: %d", status)
	}
}

// tfpricing healthcheck probes a running service: exit 0 when /healthz
// answers 200, 1 when nothing answers.
func TestHealthcheckCommand(t *testing.T) {
	p := start(t, "")
	addr := strings.TrimPrefix(p.URL, "http://")
	_, port, _ := net.SplitHostPort(addr)
	for _, env := range []string{"TFP_ADDR=" + addr, "TFP_ADDR=0.0.0.0:" + port} {
		cmd := exec.Command(binary, "healthcheck")
		cmd.Env = append(os.Environ(), env)
		if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "200") {
			t.Errorf("%s: %v\n%s", env, err, out)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	out, err := exec.Command(binary, "healthcheck", "--url", "http://"+closed+"/healthz", "--timeout", "2s").CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Errorf("nothing listening: %v\n%s", err, out)
	}
}

// HEAD over a real connection: the GET's status and headers, no body, and
// the connection stays usable (the response is framed as a HEAD answer even
// for a body larger than the server's write buffer).
func TestHeadOverTheWire(t *testing.T) {
	p := start(t, "")
	conn, err := net.Dial("tcp", strings.TrimPrefix(p.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	r := bufio.NewReader(conn)
	_, _ = io.WriteString(conn, "HEAD /openapi.yaml HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
	head, err := http.ReadResponse(r, &http.Request{Method: "HEAD"})
	if err != nil || head.StatusCode != 200 || !strings.Contains(head.Header.Get("Content-Type"), "yaml") {
		t.Fatalf("HEAD: %v %v", err, head)
	}
	get, err := http.ReadResponse(r, &http.Request{Method: "GET"})
	if err != nil {
		t.Fatalf("the GET after the HEAD: %v", err)
	}
	body, _ := io.ReadAll(get.Body)
	if get.StatusCode != 200 || !strings.Contains(string(body), `"status"`) {
		t.Errorf("GET after HEAD: %d %q", get.StatusCode, body)
	}
}

// The Dockerfile creates /data for the non-root user, probes itself, and
// the build context leaves out history, data files and keys.
func TestDockerfile(t *testing.T) {
	df, err := os.ReadFile("../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"USER nonroot", "chown 65532:65532 /out/data", "COPY --from=build --chown=65532:65532 /out/data /data",
		`HEALTHCHECK`, `"/usr/local/bin/tfpricing", "healthcheck"`, "TFP_ADDR=0.0.0.0:8080"} {
		if !strings.Contains(string(df), want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	ignore, err := os.ReadFile("../.dockerignore")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{".git\n", "*.db\n", "*.key\n", "**/data/\n", "*.test\n"} {
		if !strings.Contains(string(ignore), want) {
			t.Errorf(".dockerignore lacks %q", strings.TrimSpace(want))
		}
	}
}
