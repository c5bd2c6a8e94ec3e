package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// server is a tfpricing process started by the load tool.
type server struct {
	cmd     *exec.Cmd
	URL     string
	others  []string // further replicas' URLs (-replicas)
	Addr    string
	DB      string
	LogPath string
	done    chan error
}

var roles = []string{"officer", "analyst", "verifier", "auditor", "admin"}

// writeConfig writes a configuration file for the load runs. It keeps the
// embedded defaults' shape (configs/default.yaml) but raises the per-key
// rate limit, which would otherwise turn a load test into a test of the
// limiter, and the write timeout, so a long portfolio repricing can still
// answer. It lists the development keys (so the server needs --dev).
func writeConfig(dir, logLevel string, rateLimit int) (string, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "# Written by test/load: development keys, loopback only.\n")
	fmt.Fprintf(&b, "addr: 127.0.0.1:0\nlog_level: %s\nlog_format: json\n", logLevel)
	fmt.Fprintf(&b, "server:\n  write_timeout: 600s\n  rate_limit: {per_second: %d, burst: %d}\n", rateLimit, rateLimit)
	b.WriteString("keys:\n")
	for _, r := range roles {
		sum := sha256.Sum256([]byte("tfp-dev-" + r))
		fmt.Fprintf(&b, "  - id: dev-%s\n    name: Development %s (token tfp-dev-%s)\n    role: %s\n    sha256: %s\n",
			r, r, r, r, hex.EncodeToString(sum[:]))
	}
	path := filepath.Join(dir, "load-config.yaml")
	return path, os.WriteFile(path, []byte(b.String()), 0o600)
}

// buildBinary compiles tfpricing into dir (without -race: this measures
// the production build).
func buildBinary(dir string) (string, error) {
	bin := filepath.Join(dir, "tfpricing")
	cmd := exec.Command("go", "build", "-o", bin, "tfpricing/cmd/tfpricing")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build tfpricing/cmd/tfpricing (run from the module): %w", err)
	}
	return bin, nil
}

// startServer runs bin on 127.0.0.1:0 over db with the fixed business date,
// writes its log to a file (so the load tool never spends CPU draining a
// pipe), and waits for the "listening" line.
func startServer(bin, dir, db, config, today string, extraEnv []string) (*server, error) {
	s := &server{DB: db, LogPath: filepath.Join(dir, "server.log"), done: make(chan error, 1)}
	logf, err := os.OpenFile(s.LogPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	start, _ := logf.Seek(0, 2)
	s.cmd = exec.Command(bin, "serve", "--dev", "--config", config, "--addr", "127.0.0.1:0", "--db", db)
	if strings.HasPrefix(db, "postgres://") {
		s.cmd.Dir = dir // it keeps its audit key under ./data
	}
	s.cmd.Env = append(os.Environ(), "TFP_TODAY="+today)
	s.cmd.Env = append(s.cmd.Env, extraEnv...)
	s.cmd.Stdout, s.cmd.Stderr = logf, logf
	if err := s.cmd.Start(); err != nil {
		logf.Close()
		return nil, err
	}
	go func() { s.done <- s.cmd.Wait(); logf.Close() }()

	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if addr := findListening(s.LogPath, start); addr != "" {
			host, _, err := net.SplitHostPort(addr)
			if err != nil || !net.ParseIP(host).IsLoopback() {
				s.kill()
				return nil, fmt.Errorf("server listens on %q, not loopback; refusing to load it", addr)
			}
			s.Addr, s.URL = addr, "http://"+addr
			return s, nil
		}
		select {
		case err := <-s.done:
			return nil, fmt.Errorf("tfpricing exited before listening (%v); log:\n%s", err, tail(s.LogPath, 20))
		case <-time.After(20 * time.Millisecond):
		}
	}
	s.kill()
	return nil, fmt.Errorf("tfpricing did not log a listening line within 60 s; log:\n%s", tail(s.LogPath, 20))
}

func findListening(path string, from int64) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	if _, err := f.Seek(from, 0); err != nil {
		return ""
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var rec struct{ Message, Addr string }
		if json.Unmarshal(sc.Bytes(), &rec) == nil && rec.Message == "listening" {
			return rec.Addr
		}
	}
	return ""
}

func tail(path string, n int) string {
	b, _ := os.ReadFile(path)
	lines := bytes.Split(bytes.TrimRight(b, "\n"), []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return string(bytes.Join(lines, []byte("\n")))
}

func (s *server) pid() int { return s.cmd.Process.Pid }

// stop sends SIGTERM and waits for the process to exit.
func (s *server) stop() error {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.done:
		return err
	case <-time.After(60 * time.Second):
		s.kill()
		return fmt.Errorf("tfpricing did not exit 60 s after SIGTERM; killed")
	}
}

func (s *server) kill() {
	_ = s.cmd.Process.Kill()
	<-s.done
}

// memory reads the server's resident set (VmRSS) and its peak (VmHWM) in
// KiB from /proc.
func (s *server) memory() (rss, hwm int64, err error) {
	m, err := s.memoryDetail()
	return m["VmRSS:"], m["VmHWM:"], err
}

// memoryDetail reads the Vm* and Rss* lines of /proc/PID/status (KiB):
// RssAnon is the Go heap and stacks, RssFile mostly the pages of the bbolt
// file the server mapped and touched.
func (s *server) memoryDetail() (map[string]int64, error) {
	out := map[string]int64{}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.pid()))
	if err != nil {
		return nil, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		if strings.HasPrefix(f[0], "Vm") || strings.HasPrefix(f[0], "Rss") {
			out[f[0]], _ = strconv.ParseInt(f[1], 10, 64)
		}
	}
	return out, nil
}

// memLine is a one-line summary of the server's memory.
func (s *server) memLine() string {
	m, err := s.memoryDetail()
	if err != nil {
		return "memory: " + err.Error()
	}
	mib := func(k string) float64 { return float64(m[k]) / 1024 }
	return fmt.Sprintf("server RSS %.0f MiB (anon %.0f, file-backed %.0f; peak %.0f); data file %.1f MiB",
		mib("VmRSS:"), mib("RssAnon:"), mib("RssFile:"), mib("VmHWM:"), float64(fileSize(s.DB))/(1<<20))
}

// cpuTime returns the server's user+system CPU time so far (procCPU).
func (s *server) cpuTime() time.Duration { return procCPU(s.pid()) }

// fileSize is the data file's size in bytes.
func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}

// machineCPU returns the busy CPU time of the whole machine (every
// process, user+nice+system+irq+softirq) and the time stolen by the
// hypervisor, from /proc/stat, so a run can say how much of the machine
// other work used while it measured.
func machineCPU() (busy, steal time.Duration) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line) // cpu user nice system idle iowait irq softirq steal ...
	if len(f) < 9 || f[0] != "cpu" {
		return 0, 0
	}
	v := func(i int) time.Duration {
		n, _ := strconv.ParseInt(f[i], 10, 64)
		return time.Duration(n) * 10 * time.Millisecond
	}
	return v(1) + v(2) + v(3) + v(6) + v(7), v(8)
}

// pressure returns the "some" stall totals of /proc/pressure/cpu and
// /proc/pressure/io (time during which at least one task waited for a CPU,
// or for I/O); zero where the kernel has no PSI.
func pressure() (cpu, io time.Duration) {
	read := func(name string) time.Duration {
		b, err := os.ReadFile("/proc/pressure/" + name)
		if err != nil {
			return 0
		}
		line, _, _ := strings.Cut(string(b), "\n")
		_, tot, ok := strings.Cut(line, "total=")
		if !ok {
			return 0
		}
		n, _ := strconv.ParseInt(strings.TrimSpace(tot), 10, 64)
		return time.Duration(n) * time.Microsecond
	}
	return read("cpu"), read("io")
}

// loadAvg is the first three fields of /proc/loadavg.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}
