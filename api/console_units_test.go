package api_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestConsoleJavaScript runs the console's own unit tests (formatting, the
// USCC check, form-to-request mapping, messages) with node --test, without a
// browser. The modules under api/console are copied next to the tests in
// api/testdata/console with a package.json marking them as ES modules, so
// the console itself ships no Node files. Without node it skips, unless
// TFP_REQUIRE_BROWSER=1 (set by .ci/run, which installs nodejs).
func TestConsoleJavaScript(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("TFP_REQUIRE_BROWSER") == "1" {
			t.Fatal("node is required (TFP_REQUIRE_BROWSER=1) but not on PATH: apt-get install -y nodejs")
		}
		t.Skip("node not found: install Node.js (apt-get install -y nodejs) to run the console's JavaScript unit tests")
	}
	dir := t.TempDir()
	var tests []string
	for _, pattern := range []string{"console/*.js", "testdata/console/*.test.js"} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o600); err != nil {
				t.Fatal(err)
			}
			if strings.HasSuffix(f, ".test.js") {
				tests = append(tests, filepath.Base(f))
			}
		}
	}
	if len(tests) < 4 {
		t.Fatalf("found only %v", tests)
	}
	if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte(`{"type": "module"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, append([]string{"--test"}, tests...)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node --test: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "# fail 0") {
		t.Fatalf("node --test reported failures:\n%s", out)
	}
	t.Logf("%s", out[strings.LastIndex(string(out), "# tests"):])
}
