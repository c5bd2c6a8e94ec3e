package catalog_test

import (
	"fmt"
	"testing"

	"tfpricing"
	"tfpricing/catalog"
)

// version parses a one-industry catalogue; to "" means open-ended. note
// varies the content (and so the digest) without changing id or version.
func version(t *testing.T, id, ver, from, to, note string) *catalog.Catalogue {
	t.Helper()
	end := "null"
	if to != "" {
		end = to
	}
	return mustParse(t, id+"-"+ver+".yaml", fmt.Sprintf(`
id: %s
version: "%s"
title_zh: 目录 %s
effective_from: %s
effective_to: %s
max_years_to_baseline_level: 3
min_just_transition_score: 60
industries:
  - code: C28
    name_zh: 化学纤维制造业
    name_en: Chemical fibre manufacturing
    pathways:
      - {id: P1, name_zh: 节能, name_en: Efficiency %s, kind: energy_efficiency, metrics: [m], min_improvement_pct: "8"}
    metrics:
      - {id: m, name_zh: 能耗, name_en: Energy, unit: kgce/t, direction: lower_is_better,
         benchmark_level: "50", baseline_level: "80", source: test}
`, id, ver, ver, from, end, note))
}

func TestSetInForce(t *testing.T) {
	v1 := version(t, "hz", "1", "2023-06-01", "2025-01-01", "")
	v2 := version(t, "hz", "2", "2025-01-01", "", "")
	s, err := catalog.NewSet(v2, v1)
	if err != nil {
		t.Fatal(err)
	}
	// [effective_from, effective_to): v1's last day is 2024-12-31; v2 takes
	// over on 2025-01-01, its effective_from and v1's effective_to.
	for _, tc := range []struct {
		date string
		want *catalog.Catalogue
	}{
		{"2023-05-31", nil},
		{"2023-06-01", v1},
		{"2024-12-31", v1},
		{"2025-01-01", v2},
		{"2099-12-31", v2},
	} {
		got, ok := s.InForce(tfpricing.MustParseDate(tc.date))
		if got != tc.want || ok != (tc.want != nil) {
			t.Errorf("InForce(%s) = %v, %v; want %v", tc.date, ref(got), ok, ref(tc.want))
		}
	}
	vs := s.Versions()
	if len(vs) != 2 || vs[0] != v1 || vs[1] != v2 {
		t.Errorf("Versions() not ordered by effective_from: %v, %v", ref(vs[0]), ref(vs[1]))
	}
	if got, ok := s.ByDigest(v2.Digest); !ok || got != v2 {
		t.Errorf("ByDigest(v2) = %v", ref(got))
	}
	if _, ok := s.ByDigest("sha256:00"); ok {
		t.Error("ByDigest found an unknown digest")
	}
	if got, ok := s.Version("hz", "1"); !ok || got != v1 {
		t.Errorf("Version(hz, 1) = %v", ref(got))
	}
}

func ref(c *catalog.Catalogue) string {
	if c == nil {
		return "<none>"
	}
	return c.ID + " " + c.Version
}

func TestSetRejects(t *testing.T) {
	v1 := version(t, "hz", "1", "2023-06-01", "2025-01-01", "")
	cases := []struct {
		name string
		cats []*catalog.Catalogue
		code string // "" when accepted
	}{
		{"same document twice", []*catalog.Catalogue{v1, version(t, "hz", "1", "2023-06-01", "2025-01-01", "")}, ""},
		{"same id and version, other digest", []*catalog.Catalogue{v1, version(t, "hz", "1", "2023-06-01", "2025-01-01", "edited")}, tfpricing.ECONFLICT},
		{"overlap by one day", []*catalog.Catalogue{v1, version(t, "hz", "2", "2024-12-31", "", "")}, tfpricing.ECONFLICT},
		{"open-ended earlier version", []*catalog.Catalogue{version(t, "hz", "1", "2023-06-01", "", ""), version(t, "hz", "2", "2030-01-01", "", "")}, tfpricing.ECONFLICT},
		{"later version inside an earlier one", []*catalog.Catalogue{v1, version(t, "hz", "2", "2024-01-01", "2024-06-01", "")}, tfpricing.ECONFLICT},
		{"adjacent versions", []*catalog.Catalogue{v1, version(t, "hz", "2", "2025-01-01", "", "")}, ""},
		// A stricter rule than same-id overlap: InForce takes only a date.
		{"other id overlapping", []*catalog.Catalogue{v1, version(t, "other", "1", "2024-01-01", "", "")}, tfpricing.ECONFLICT},
		{"not from Parse", []*catalog.Catalogue{{ID: "x", Version: "1"}}, tfpricing.EINVALID},
		{"nil", []*catalog.Catalogue{nil}, tfpricing.EINVALID},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := catalog.NewSet(tc.cats...)
			if got := tfpricing.ErrorCode(err); got != tc.code {
				t.Errorf("NewSet error = %v (code %q), want code %q", err, got, tc.code)
			}
		})
	}
	s, _ := catalog.NewSet(v1)
	if _, err := s.With(version(t, "hz", "2", "2025-01-01", "", "")); err != nil {
		t.Fatal(err)
	}
	if n := len(s.Versions()); n != 1 {
		t.Errorf("With changed the original set: %d versions", n)
	}
}

func TestLookups(t *testing.T) {
	c := testCatalogue(t)
	for _, tc := range []struct{ code, want string }{
		{"C2822", "C28"}, {"C28", "C28"},
		{"C1713", "C1713"}, {"C17130", "C1713"}, // longest prefix wins over C17
		{"C1711", "C17"}, {"C1752", "C17"},
		{"C2", ""}, {"", ""}, {"B0610", ""}, {"c2822", ""},
	} {
		ind, ok := c.IndustryFor(tc.code)
		got := ""
		if ok {
			got = ind.Code
		}
		if got != tc.want {
			t.Errorf("IndustryFor(%q) = %q, want %q", tc.code, got, tc.want)
		}
	}
	if _, ok := c.IndustryByCode("C171"); ok {
		t.Error("IndustryByCode matched a prefix")
	}
	c28, ok := c.IndustryByCode("C28")
	if !ok {
		t.Fatal("IndustryByCode(C28) not found")
	}
	for _, tc := range []struct {
		ind  *catalog.Industry
		id   string
		want string // unit, "" when not found
	}{
		{c28, "fdy", "kgce/t"},
		{c28, "carbon_intensity", "tCO2/万元"},
		{nil, "carbon_intensity", "tCO2/万元"},
		{nil, "fdy", ""},
		{c28, "reuse", ""}, // C1713's metric
	} {
		m, ok := c.Metric(tc.ind, tc.id)
		got := ""
		if ok {
			got = m.Unit
		}
		if got != tc.want {
			t.Errorf("Metric(%s) unit = %q, want %q", tc.id, got, tc.want)
		}
	}
	if p, ok := c28.Pathway("P-FDY"); !ok || p.MinImprovementPct.String() != "10" {
		t.Errorf("Pathway(P-FDY) = %+v, %v", p, ok)
	}
	if _, ok := c28.Pathway("P-WEAVE"); ok {
		t.Error("C28 has no P-WEAVE")
	}
	var none *catalog.Industry
	if _, ok := none.Pathway("P-FDY"); ok {
		t.Error("a nil industry has no pathways")
	}
}
