package test

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildLine is the walk-through's one line that builds the binary; the test
// copies the binary this package built from the same sources instead, to
// spare a second build.
const buildLine = `go build -o "$W/tfpricing" ./cmd/tfpricing`

// walkThrough returns the README's walk-through: its sh blocks between the
// begin and end markers, in order, as one script.
func walkThrough(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	begin, end := strings.Index(readme, "<!-- walk-through: begin -->"), strings.Index(readme, "<!-- walk-through: end -->")
	if begin < 0 || end < begin {
		t.Fatal("README.md has no walk-through markers")
	}
	blocks := regexp.MustCompile("(?s)```sh\n(.*?)```").FindAllStringSubmatch(readme[begin:end], -1)
	if len(blocks) < 5 {
		t.Fatalf("only %d sh blocks in the walk-through", len(blocks))
	}
	var script strings.Builder
	for _, b := range blocks {
		script.WriteString(b[1])
		script.WriteString("\n")
	}
	return script.String()
}

// The README keeps exactly two set-up commands.
func TestReadmeSetUp(t *testing.T) {
	raw, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(raw)
	setup := s[strings.Index(s, "## Set-up"):]
	setup = setup[:strings.Index(setup, "\n## ")]
	block := regexp.MustCompile("(?s)```sh\n(.*?)```").FindStringSubmatch(setup)
	var cmds []string
	for _, line := range strings.Split(block[1], "\n") {
		if cmd, _, _ := strings.Cut(line, "#"); strings.TrimSpace(cmd) != "" {
			cmds = append(cmds, strings.TrimSpace(cmd))
		}
	}
	if strings.Join(cmds, "; ") != "go run ./cmd/tfpricing; go test ./..." {
		t.Errorf("set-up commands: %q", cmds)
	}
}

// TestReadmeWalkThrough runs the README's walk-through as written with sh
// (curl, sed, grep and coreutils only) from the repository root against the
// real binary, on a free port: every command must succeed, the attestation
// be on time, the offline verification pass and no request fail inside the
// server.
func TestReadmeWalkThrough(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed")
	}
	script := walkThrough(t)
	if strings.Count(script, buildLine) != 1 {
		t.Fatalf("the walk-through must build the binary with exactly\n%s", buildLine)
	}
	script = strings.Replace(script, buildLine, `cp "$WALKTHROUGH_BINARY" "$W/tfpricing"`, 1)

	tmp := t.TempDir() // mktemp -d creates the scratch directory here
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-eu", "-c", script)
	cmd.Dir = ".."
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp, "TFP_ADDR=127.0.0.1:"+freePort(t), "WALKTHROUGH_BINARY="+binary)
	out, err := cmd.CombinedOutput()
	if err != nil {
		stopWalkThroughServers(tmp)
		t.Fatalf("the walk-through failed: %v\n%s", err, tail(string(out), 4000))
	}
	for _, want := range []string{
		`"eligible":true`, `"quote_id":"Q-00000001"`, "loan L-00000001", `"status":"on_time"`,
		`"kind":"monte_carlo"`, `"field":"borrower.uscc"`, `"matches":true`,
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the walk-through's output lacks %q\n%s", want, tail(string(out), 4000))
		}
	}
	// The offline tools agree with each other on the whole chain (how many
	// decisions there are depends on the reference data loaded at start-up).
	verified := regexp.MustCompile(`checkpoint of decision (\d+) \(signed [^)]*\): hash matches\nverified (\d+) decisions, head (\d+) [0-9a-f]{64}: OK\nreplayed (\d+) decisions: (\d+) match, 0 differ`).FindStringSubmatch(string(out))
	if verified == nil || len(slices.Compact(verified[1:])) != 1 {
		t.Errorf("offline verification and replay: %q\n%s", verified, tail(string(out), 2000))
	} else if n := verified[1]; !strings.Contains(script, "# → verified "+n+" decisions, head "+n+" ") ||
		!strings.Contains(script, "# → replayed "+n+" decisions: "+n+" match") {
		t.Errorf("the README's expected output does not say %s decisions", n)
	}
	logs, _ := filepath.Glob(filepath.Join(tmp, "*", "server.log"))
	for _, l := range logs {
		b, _ := os.ReadFile(l)
		if regexp.MustCompile(`"status":5\d\d`).Match(b) {
			t.Errorf("a request failed inside the server:\n%s", tail(string(b), 4000))
		}
	}
	csv, _ := filepath.Glob(filepath.Join(tmp, "*", "simulation.csv"))
	if len(csv) != 1 {
		t.Fatalf("simulation.csv: %v", csv)
	}
	if b, _ := os.ReadFile(csv[0]); !strings.HasPrefix(string(b), "\ufeffscenario,period,") {
		t.Errorf("simulation.csv starts %q", b[:min(40, len(b))])
	}
}

// stopWalkThroughServers ends a server the walk-through left running when
// it failed half-way, by the pid it recorded, if that process is still
// the walk-through's tfpricing.
func stopWalkThroughServers(tmp string) {
	pids, _ := filepath.Glob(filepath.Join(tmp, "*", "server.pid"))
	for _, f := range pids {
		b, _ := os.ReadFile(f)
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil || pid <= 1 {
			continue
		}
		if cmdline, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline"); strings.Contains(string(cmdline), filepath.Dir(f)) {
			_ = syscall.Kill(pid, syscall.SIGTERM)
		}
	}
}

// freePort returns a loopback port that was free a moment ago.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}

// tail returns the last n bytes of s.
func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}
