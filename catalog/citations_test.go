package catalog_test

import (
	"os"
	"strings"
	"testing"

	"tfpricing"
	"tfpricing/catalog"
)

// Every shipped version cites only standards in force on its effective_from:
// no year after it, and GB 31825-2024 / GB 36889-2025 not before 2025-05-01
// / 2026-06-01. Each version cites at least the standards its figures are
// taken from.
func TestShippedCitationsInForce(t *testing.T) {
	wantCited := map[string][]string{
		"2.0": {"GB 36889-2018", "GB 31825-2015", "〔2023〕"},
		"2.1": {"GB 36889-2018", "GB 31825-2024", "〔2023〕"},
		"2.2": {"GB 36889-2025", "GB 31825-2024", "〔2023〕"},
	}
	for _, c := range shippedVersions(t) {
		if w := c.CitationWarnings(); len(w) > 0 {
			t.Errorf("%s: %v", c.Version, w)
		}
		cited := map[string]bool{}
		for _, ct := range c.Citations() {
			cited[ct.Standard] = true
			if ct.Year == 0 || ct.Year > c.EffectiveFrom.Year() {
				t.Errorf("%s: %s at %s (year %d) after %s", c.Version, ct.Standard, ct.Path, ct.Year, c.EffectiveFrom)
			}
		}
		for _, s := range wantCited[c.Version] {
			if !cited[s] {
				t.Errorf("%s cites no %s", c.Version, s)
			}
		}
	}
}

// The catalogue shipped before issue 15 dated its single version 2023 but
// cited GB 36889-2025 and GB 31825-2024: validation warns about each.
func TestCitationWarnings(t *testing.T) {
	b, err := os.ReadFile("testdata/huzhou-transition-2.0-6fdddb0.yaml")
	if err != nil {
		t.Fatal(err)
	}
	old := mustParse(t, "old", string(b))
	w := old.CitationWarnings()
	// 13 C28 metrics cite GB 36889-2025, 5 C22 metrics GB 31825-2024.
	if len(w) != 18 || w[0].Path != "industries[0].metrics[0].source" ||
		!strings.Contains(w[0].Message, "GB 36889-2025, a standard of 2025, after this version's effective_from 2023-06-01") {
		t.Errorf("%d warnings: %v", len(w), w)
	}
	// Same year, not yet in force: GB 31825-2024 in a version from 2024-12-31.
	doc := strings.Replace(strings.Replace(string(b), "effective_from: 2023-06-01", "effective_from: 2024-12-31", 1),
		"GB 36889-2025 表1", "GB 36889-2018 表1", -1)
	early := mustParse(t, "early", doc)
	w = early.CitationWarnings()
	if len(w) != 5 || !strings.Contains(w[0].Message, "GB 31825-2024, in force only from 2025-05-01, after this version's effective_from 2024-12-31") {
		t.Errorf("%d warnings: %v", len(w), w)
	}
	// On the day it takes effect it is in force.
	onTime := mustParse(t, "on time", strings.Replace(doc, "effective_from: 2024-12-31", "effective_from: 2025-05-01", 1))
	if w := onTime.CitationWarnings(); len(w) != 0 || onTime.EffectiveFrom != tfpricing.MustParseDate("2025-05-01") {
		t.Errorf("warnings on the in-force date: %v", w)
	}
	if lines := catalog.WarnFile("testdata/huzhou-transition-2.0-6fdddb0.yaml"); len(lines) != 18 ||
		!strings.HasPrefix(lines[0], "testdata/huzhou-transition-2.0-6fdddb0.yaml: industries[0].metrics[0].source: warning: ") {
		t.Errorf("WarnFile: %q", lines)
	}
}
