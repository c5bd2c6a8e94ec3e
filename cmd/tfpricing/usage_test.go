package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runIn runs the command line in a fresh working directory and reports its
// exit status, its output and the files it left there.
func runIn(t *testing.T, args ...string) (code int, out string, errText string, left []string) {
	t.Helper()
	dir := t.TempDir()
	t.Chdir(dir)
	var buf bytes.Buffer
	// A cancelled context: were the server to start by mistake it would stop at once.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := run(ctx, args, func(string) string { return "" }, &buf)
	code = 0
	if err != nil {
		code, errText = exitCode(err), err.Error()
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		left = append(left, e.Name())
	}
	return code, buf.String(), errText, left
}

// Unknown commands, subcommands, flags and arguments print the usage and
// exit 2 without creating anything (no ./data, no listener).
func TestUnknownCommandsTouchNothing(t *testing.T) {
	for _, args := range [][]string{
		{"bogus"}, {"verify"}, {"--bogus"}, {"serve", "--bogus"}, {"serve", "extra"},
		{"audit"}, {"audit", "bogus"}, {"audit", "verify", "--bogus"}, {"audit", "verify", "--db", "x.db", "extra"},
		{"catalogue"}, {"catalogue", "bogus"}, {"catalogue", "validate"}, {"catalogue", "validate", "--bogus", "f.yaml"},
		{"backup", "--bogus"}, {"healthcheck", "--bogus"},
	} {
		code, out, errText, left := runIn(t, args...)
		if code != 2 {
			t.Errorf("%q: exit %d, want 2 (%s)", args, code, errText)
		}
		if !strings.Contains(errText, "usage: ") && !strings.Contains(errText, "tfpricing [serve]") {
			t.Errorf("%q: no usage in the error: %s", args, errText)
		}
		if out != "" || len(left) > 0 {
			t.Errorf("%q: printed %q to stdout, left %v", args, out, left)
		}
	}
}

// Every command and subcommand answers -h and --help on stdout with its
// synopsis and flags, and exits 0.
func TestHelpEverywhere(t *testing.T) {
	cases := map[string][]string{
		"serve":              {"usage: tfpricing [serve]", "--addr", "--dev", "TFP_DEV", "TFP_TODAY", "TFP_CONFIG"},
		"audit":              {"audit verify", "audit replay", "audit checkpoint"},
		"audit verify":       {"usage: tfpricing audit verify", "--checkpoint", "--public-key", "--db"},
		"audit replay":       {"usage: tfpricing audit replay", "--all", "--id", "--verbose"},
		"audit checkpoint":   {"usage: tfpricing audit checkpoint", "--key"},
		"catalogue":          {"usage: tfpricing catalogue validate FILE..."},
		"catalogue validate": {"usage: tfpricing catalogue validate FILE..."},
		"backup":             {"usage: tfpricing backup", "--out"},
		"healthcheck":        {"usage: tfpricing healthcheck", "--url", "TFP_ADDR"},
	}
	for cmd, wants := range cases {
		for _, h := range []string{"-h", "--help"} {
			args := append(strings.Fields(cmd), h)
			code, out, errText, left := runIn(t, args...)
			if code != 0 || len(left) > 0 {
				t.Errorf("%q: exit %d (%s), left %v", args, code, errText, left)
			}
			for _, w := range wants {
				if !strings.Contains(out, w) {
					t.Errorf("%q: help lacks %q:\n%s", args, w, out)
				}
			}
		}
	}
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}} {
		code, out, _, left := runIn(t, args...)
		if code != 0 || !strings.Contains(out, "tfpricing healthcheck") || !strings.Contains(out, "--dev") || len(left) > 0 {
			t.Errorf("%q: exit %d, left %v:\n%s", args, code, left, out)
		}
	}
}

// A backup into a directory that does not exist names the directory, not a
// temporary file.
func TestBackupMissingDirectory(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "no-such-dir")
	err := run(context.Background(), []string{"backup", "--db", filepath.Join(dir, "x.db"), "--out", filepath.Join(missing, "copy.db")},
		func(string) string { return "" }, &bytes.Buffer{})
	var ee *exitError
	if !errors.As(err, &ee) || ee.code != 2 || !strings.Contains(err.Error(), "the directory "+missing+" ") || strings.Contains(err.Error(), ".tfpricing-backup") {
		t.Fatalf("got %v", err)
	}
}

func TestProbeAddr(t *testing.T) {
	for in, want := range map[string]string{
		"": "127.0.0.1:8080", "0.0.0.0:9000": "127.0.0.1:9000", ":8080": "127.0.0.1:8080",
		"[::]:8080": "127.0.0.1:8080", "10.1.2.3:8080": "10.1.2.3:8080", "localhost:81": "localhost:81",
	} {
		if got := probeAddr(in); got != want {
			t.Errorf("probeAddr(%q) = %q, want %q", in, got, want)
		}
	}
}
