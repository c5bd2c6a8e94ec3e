package catalog_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tfpricing/catalog"
)

const badYAML = `
id: Bad Id
version: "1"
title_zh: ""
effective_from: 2024-01-01
effective_to: 2023-01-01
max_years_to_baseline_level: 0
min_just_transition_score: 101
metrics:
  - {id: ci, name_zh: 碳, name_en: CI, unit: t, direction: lower_is_better,
     benchmark_level: "1", baseline_level: "2", source: s}
industries:
  - code: C28
    name_zh: 化纤
    name_en: Fibre
    pathways:
      - {id: P1, name_zh: a, name_en: a, kind: teleport, metrics: [fdy, ghost, fdy], min_improvement_pct: "-1"}
    metrics:
      - {id: fdy, name_zh: f, name_en: f, unit: kgce/t, direction: lower_is_better,
         benchmark_level: "90", baseline_level: "80", source: s}
  - code: C28
    name_zh: 重复
    name_en: Duplicate
    pathways:
      - {id: P1, name_zh: b, name_en: b, kind: circular, metrics: [ci], min_improvement_pct: 5}
    metrics:
      - {id: ci, name_zh: c, name_en: c, unit: t, direction: up, baseline_level: "1e3", source: s}
  - code: X1
    name_zh: x
    name_en: x
    pathways: []
`

func problems(t *testing.T, err error) []catalog.Problem {
	t.Helper()
	var ve *catalog.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v is not a *ValidationError", err)
	}
	return ve.Problems
}

func TestParseReportsEveryProblem(t *testing.T) {
	_, err := catalog.Parse("bad.yaml", []byte(badYAML))
	want := []catalog.Problem{
		{"id", `"Bad Id" must be lower-case letters`},
		{"title_zh", "required"},
		{"effective_to", "2023-01-01 must be after effective_from 2024-01-01"},
		{"max_years_to_baseline_level", "0 is out of range 1–50"},
		{"min_just_transition_score", "101 is out of range 0–100"},
		{"industries[0].pathways[0].kind", `"teleport" is not a pathway kind`},
		{"industries[0].pathways[0].metrics[1]", `metric "ghost" is not defined`},
		{"industries[0].pathways[0].metrics[2]", `metric "fdy" is listed twice`},
		{"industries[0].pathways[0].min_improvement_pct", "-1 must not be negative"},
		{"industries[0].metrics[0].benchmark_level", "90 must be at or better than baseline_level 80 (lower_is_better)"},
		{"industries[1].code", `duplicate industry code "C28" (first defined at industries[0])`},
		{"industries[1].pathways[0].id", `duplicate pathway id "P1" (first defined at industries[0].pathways[0])`},
		{"industries[1].pathways[0].min_improvement_pct", `must be a quoted decimal string, e.g. "5"`},
		{"industries[1].metrics[0].id", `duplicate metric id "ci" (first defined at metrics[0])`},
		{"industries[1].metrics[0].direction", `"up" must be lower_is_better or higher_is_better`},
		{"industries[1].metrics[0].benchmark_level", "required"},
		{"industries[1].metrics[0].baseline_level", `"1e3" is not a decimal number`},
		{"industries[2].code", `"X1" is not a GB/T 4754 code`},
		{"industries[2].pathways", "at least one pathway is required"},
	}
	got := problems(t, err)
	for i := 0; i < max(len(got), len(want)); i++ {
		switch {
		case i >= len(got):
			t.Errorf("missing problem %s: %s", want[i].Path, want[i].Message)
		case i >= len(want):
			t.Errorf("unexpected problem %s: %s", got[i].Path, got[i].Message)
		case got[i].Path != want[i].Path || !strings.Contains(got[i].Message, want[i].Message):
			t.Errorf("problem %d = %s: %s; want %s: …%s…", i, got[i].Path, got[i].Message, want[i].Path, want[i].Message)
		}
	}
	if first := strings.SplitN(err.Error(), "\n", 2)[0]; !strings.HasPrefix(first, `bad.yaml: id: "Bad Id"`) {
		t.Errorf("Error() should name the file and path on each line, first line is %q", first)
	}
}

func TestParseDecodeErrors(t *testing.T) {
	cases := []struct{ name, doc, path, msg string }{
		{"unknown top-level key", "id: x\ncolour: red\n", "line 2", `unknown key "colour"`},
		{"unknown industry key", "industries:\n  - code: C28\n    sector: fibre\n", "line 3", `unknown key "sector"`},
		{"empty", "", "", "the document is empty"},
		{"comments only", "# nothing\n", "", "the document is empty"},
		{"two documents", "id: a\n---\nid: b\n", "line 2", "a second YAML document follows"},
		{"syntax", "id: [\n", "", "line"},
		{"list at the root", "- a\n", "line 1", "!!seq is not allowed here: a mapping expected"},
		{"text for an integer", "max_years_to_baseline_level: three\n", "line 1", "an integer expected"},
		{"mapping for a decimal", "industries:\n  - pathways:\n      - min_improvement_pct: {a: 1}\n", "line 3", "a mapping is not allowed here"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := catalog.Parse("doc.yaml", []byte(tc.doc))
			got := problems(t, err)
			if len(got) == 0 || got[0].Path != tc.path || !strings.Contains(got[0].Message, tc.msg) {
				t.Errorf("problems = %+v, want first %q: …%s…", got, tc.path, tc.msg)
			}
			if strings.Contains(err.Error(), "catalog.") {
				t.Errorf("message leaks Go type names: %v", err)
			}
		})
	}
}

// The same document in another layout: flow style, other key order, no
// comments, quoted dates, "80.0" for "80", title_en and illustrative written
// out with their defaults, and the open effective_to left out.
const testYAMLReformatted = `{version: "1", id: test-catalogue, title_zh: 测试目录, title_en: "",
effective_from: "2024-01-01", min_just_transition_score: 60, max_years_to_baseline_level: 3,
metrics: [{id: carbon_intensity, name_zh: 碳强度, name_en: Carbon intensity, unit: tCO2/万元,
  direction: lower_is_better, benchmark_level: "1.00", baseline_level: "2", source: test, illustrative: true}],
industries: [
 {code: C28, name_zh: 化学纤维制造业, name_en: Chemical fibre manufacturing, just_transition_required: true,
  metrics: [{id: fdy, name_zh: FDY能耗, name_en: FDY energy, unit: kgce/t, direction: lower_is_better,
    benchmark_level: "50", baseline_level: "80.0", source: test, illustrative: false}],
  pathways: [{id: P-FDY, name_zh: 节能改造, name_en: Energy efficiency, kind: energy_efficiency,
    metrics: [fdy, carbon_intensity], min_improvement_pct: "10.0"}]},
 {code: C17, name_zh: 纺织业, name_en: Textiles, just_transition_required: false, metrics: [],
  pathways: [{id: P-WEAVE, name_zh: 织造节能, name_en: Weaving efficiency, kind: energy_efficiency,
    metrics: [carbon_intensity], min_improvement_pct: "5"}]},
 {code: C1713, name_zh: 棉印染精加工, name_en: Cotton dyeing,
  pathways: [{id: P-REUSE, name_zh: 中水回用, name_en: Water reuse, kind: circular, metrics: [reuse], min_improvement_pct: "20"},
   {id: P-DYE, name_zh: 低浴比染色, name_en: Low-liquor dyeing, kind: process_upgrade, metrics: [dye_energy], min_improvement_pct: "10"}],
  metrics: [{id: reuse, name_zh: 水重复利用率, name_en: Water reuse rate, unit: "%", direction: higher_is_better,
    benchmark_level: "60", baseline_level: "40", source: test},
   {id: dye_energy, name_zh: 染色能耗, name_en: Dyeing energy, unit: kgce/100 m, direction: lower_is_better,
    benchmark_level: "22", baseline_level: "30", source: test}]}]}
`

func TestDigestIgnoresLayout(t *testing.T) {
	a := testCatalogue(t)
	b := mustParse(t, "reformatted.yaml", testYAMLReformatted)
	if a.Digest != b.Digest {
		t.Errorf("layout changed the digest:\n%s\n%s", a.Canonical, b.Canonical)
	}
	changed := mustParse(t, "changed.yaml", strings.Replace(testYAML, `baseline_level: "80"`, `baseline_level: "81"`, 1))
	if changed.Digest == a.Digest {
		t.Error("a changed baseline level kept the digest")
	}
	sum := sha256.Sum256(a.Canonical)
	if want := "sha256:" + hex.EncodeToString(sum[:]); a.Digest != want {
		t.Errorf("Digest = %s, want sha256 of Canonical %s", a.Digest, want)
	}
}

func TestCanonicalRoundTrip(t *testing.T) {
	for _, c := range []*catalog.Catalogue{testCatalogue(t), shipped(t)} {
		again := mustParse(t, "canonical.json", string(c.Canonical))
		if again.Digest != c.Digest || string(again.Canonical) != string(c.Canonical) {
			t.Errorf("%s: Parse(Canonical) changed the digest: %s → %s", c.ID, c.Digest, again.Digest)
		}
	}
}

func TestCanonicalForm(t *testing.T) {
	c := testCatalogue(t)
	// Written by hand from testYAML: keys sorted at every level, no spaces,
	// null for the open effective_to, decimals as strings.
	prefix := `{"effective_from":"2024-01-01","effective_to":null,"id":"test-catalogue","industries":[` +
		`{"code":"C28","just_transition_required":true,"metrics":[{"baseline_level":"80","benchmark_level":"50",` +
		`"direction":"lower_is_better","id":"fdy","illustrative":false,"name_en":"FDY energy","name_zh":"FDY能耗",` +
		`"source":"test","unit":"kgce/t"}],"name_en":"Chemical fibre manufacturing","name_zh":"化学纤维制造业",` +
		`"pathways":[{"id":"P-FDY","kind":"energy_efficiency","metrics":["fdy","carbon_intensity"],` +
		`"min_improvement_pct":"10","name_en":"Energy efficiency","name_zh":"节能改造"}]},`
	suffix := `"max_years_to_baseline_level":3,"metrics":[{"baseline_level":"2","benchmark_level":"1",` +
		`"direction":"lower_is_better","id":"carbon_intensity","illustrative":true,"name_en":"Carbon intensity",` +
		`"name_zh":"碳强度","source":"test","unit":"tCO2/万元"}],"min_just_transition_score":60,` +
		`"title_en":"","title_zh":"测试目录","version":"1"}`
	got := string(c.Canonical)
	if !strings.HasPrefix(got, prefix) || !strings.HasSuffix(got, suffix) {
		t.Errorf("canonical form:\n%s\nwant prefix\n%s\nand suffix\n%s", got, prefix, suffix)
	}
}

func TestValidateFile(t *testing.T) {
	if lines := catalog.ValidateFile(shippedPath); lines != nil {
		t.Errorf("shipped catalogue: %v", lines)
	}
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte(badYAML), 0o600); err != nil {
		t.Fatal(err)
	}
	lines := catalog.ValidateFile(bad)
	if len(lines) != 19 || !strings.HasPrefix(lines[0], bad+": id: ") {
		t.Errorf("want 19 lines naming %s, got %d: %q", bad, len(lines), lines)
	}
	if lines := catalog.ValidateFile(filepath.Join(dir, "missing.yaml")); len(lines) != 1 {
		t.Errorf("missing file: %q", lines)
	}
}

// FuzzParse feeds Parse arbitrary bytes: it must never panic, and whatever it
// accepts must survive the canonical round trip with the same digest.
func FuzzParse(f *testing.F) {
	b, err := os.ReadFile(shippedPath)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte(testYAML))
	f.Add([]byte(testYAMLReformatted))
	f.Add([]byte(badYAML))
	for _, s := range []string{
		"", "{", "- a", "id: [", "\t", "\xff\xfe", "null", "~", "---\n---\n",
		"a: &x [*x]", "a: &a [*a, *a, *a]",
		"industries: {a: 1}",
		"industries: [{pathways: [{min_improvement_pct: [1]}]}]",
		"metrics: [{benchmark_level: \"1e99999\", baseline_level: \"-0\"}]",
		"effective_from: 2023-02-30\neffective_to: 0000-00-00",
		"max_years_to_baseline_level: 99999999999999999999",
		"id: x\nid: y",
		`{"id":"a","industries":[{"code":"C28","pathways":[{"id":"p","metrics":["m"]}]}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := catalog.Parse("fuzz.yaml", data)
		if err != nil {
			if c != nil {
				t.Fatal("Parse returned a catalogue with an error")
			}
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		again, err := catalog.Parse("canonical.json", c.Canonical)
		if err != nil {
			t.Fatalf("canonical form does not parse: %v\n%s", err, c.Canonical)
		}
		if again.Digest != c.Digest {
			t.Fatalf("round trip changed the digest\n%s\n%s", c.Canonical, again.Canonical)
		}
	})
}
