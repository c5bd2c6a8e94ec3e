package main

import (
	"bytes"
	"strings"
	"testing"
)

// "catalogue validate" prints a valid file's warnings (a standard cited
// before it took effect) and still accepts it; the shipped versions have
// none.
func TestCatalogueValidateWarns(t *testing.T) {
	var out bytes.Buffer
	old := "../../catalog/testdata/huzhou-transition-2.0-6fdddb0.yaml"
	if err := catalogueCmd([]string{"validate", old}, &out); err != nil {
		t.Fatalf("a file with warnings only must pass: %v\n%s", err, &out)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	// 13 C28 metrics cite GB 36889-2025 and 5 C22 metrics GB 31825-2024 in a
	// version from 2023-06-01; then the file's "ok".
	if len(lines) != 19 || !strings.Contains(lines[0], "warning: cites GB 36889-2025") || lines[18] != old+": ok" {
		t.Errorf("%d lines:\n%s", len(lines), &out)
	}
	out.Reset()
	shipped := []string{"validate", "../../configs/catalog/huzhou-transition-2.0.yaml",
		"../../configs/catalog/huzhou-transition-2.1.yaml", "../../configs/catalog/huzhou-transition-2.2.yaml"}
	if err := catalogueCmd(shipped, &out); err != nil || strings.Contains(out.String(), "warning") ||
		strings.Count(out.String(), ": ok\n") != 3 {
		t.Errorf("shipped versions: %v\n%s", err, &out)
	}
}
