package catalog_test

import (
	"slices"
	"strings"
	"testing"

	"tfpricing"
	"tfpricing/catalog"
)

func TestShippedCatalogueHeader(t *testing.T) {
	c := shipped(t)
	if c.ID != "huzhou-transition" || c.Version != "2.0" || c.TitleZh != "湖州市转型金融支持目录 2.0" {
		t.Errorf("id/version/title = %q %q %q", c.ID, c.Version, c.TitleZh)
	}
	if c.EffectiveFrom != tfpricing.MustParseDate("2023-06-01") || !c.EffectiveTo.IsZero() {
		t.Errorf("effective = %s – %s, want 2023-06-01, open", c.EffectiveFrom, c.EffectiveTo)
	}
	if c.MaxYearsToBaselineLevel != 3 || c.MinJustTransitionScore != 60 {
		t.Errorf("max years %d, min score %d; want 3, 60", c.MaxYearsToBaselineLevel, c.MinJustTransitionScore)
	}
	var codes []string
	pathways, metrics := 0, len(c.Metrics)
	for _, ind := range c.Industries {
		codes = append(codes, ind.Code)
		pathways += len(ind.Pathways)
		metrics += len(ind.Metrics)
	}
	// C28 4 pathways, C17 2, C1713 4, C1752 4, C22 4, C30 5 = 23;
	// metrics: 1 catalogue-level + C28 13 + C1713 3 + C1752 3 + C22 5 + C30 2 = 27.
	if want := []string{"C28", "C17", "C1713", "C1752", "C22", "C30"}; !slices.Equal(codes, want) {
		t.Errorf("industries %v, want %v", codes, want)
	}
	if pathways != 23 || metrics != 27 {
		t.Errorf("%d pathways and %d metrics, want 23 and 27", pathways, metrics)
	}
	c28, _ := c.IndustryByCode("C28")
	p01, ok := c28.Pathway("C28-P01")
	if !ok || p01.Kind != catalog.KindEnergyEfficiency || p01.MinImprovementPct.String() != "8" ||
		!slices.Equal(p01.Metrics, []string{"pet_fdy_energy", "pet_poy_energy", "polyester_polymerisation_energy", "carbon_intensity"}) {
		t.Errorf("C28-P01 = %+v", p01)
	}
	if !c28.JustTransitionRequired {
		t.Error("C28 must require a just-transition score")
	}
	if c22, _ := c.IndustryByCode("C22"); c22.JustTransitionRequired {
		t.Error("C22 is the industry that does not require a just-transition score")
	}
}

// Every figure DESIGN.md §3 lists, copied from the design, not from the file.
func TestShippedCatalogueFigures(t *testing.T) {
	c := shipped(t)
	lower, higher := catalog.LowerIsBetter, catalog.HigherIsBetter
	for _, tc := range []struct {
		industry, metric, benchmark, baseline, unit string
		direction                                   catalog.Direction
	}{
		{"C28", "polyester_polymerisation_energy", "85", "100", "kgce/t", lower},
		{"C28", "pet_poy_energy", "40", "50", "kgce/t", lower},
		{"C28", "pet_fdy_energy", "50", "83", "kgce/t", lower},
		{"C28", "pet_staple_energy", "85", "110", "kgce/t", lower},
		{"C28", "pet_industrial_filament_energy", "120", "145", "kgce/t", lower},
		{"C28", "pet_dty_energy", "90", "115", "kgce/t", lower},
		{"C28", "recycled_pet_staple_energy", "150", "185", "kgce/t", lower},
		{"C28", "viscose_staple_energy", "800", "950", "kgce/t", lower},
		{"C28", "viscose_filament_energy", "2700", "3000", "kgce/t", lower},
		{"C28", "pa6_chip_energy", "100", "145", "kgce/t", lower},
		{"C28", "pa6_fdy_energy", "180", "270", "kgce/t", lower},
		{"C28", "spandex_energy", "900", "1300", "kgce/t", lower},
		{"C28", "acrylic_energy", "950", "1050", "kgce/t", lower},
		{"C1713", "cotton_fabric_dyeing_energy", "22", "30", "kgce/100 m", lower},
		{"C1713", "cotton_fabric_dyeing_fresh_water", "1", "1.6", "t/100 m", lower},
		{"C1713", "cotton_dyeing_water_reuse_rate", "60", "40", "%", higher},
		{"C1752", "synthetic_fabric_dyeing_energy", "22", "30", "kgce/100 m", lower},
		{"C1752", "synthetic_fabric_dyeing_fresh_water", "1", "1.6", "t/100 m", lower},
		{"C1752", "synthetic_dyeing_water_reuse_rate", "60", "40", "%", higher},
		{"C22", "containerboard_energy", "210", "280", "kgce/t", lower},
		{"C22", "corrugating_medium_energy", "200", "260", "kgce/t", lower},
		{"C22", "uncoated_printing_paper_energy", "300", "430", "kgce/t", lower},
		{"C22", "tissue_base_paper_energy", "380", "520", "kgce/t", lower},
		{"C22", "deinked_pulp_energy", "100", "140", "kgce/Adt", lower},
		{"C30", "cement_clinker_energy", "100", "117", "kgce/t", lower},
		{"C30", "flat_glass_energy", "8", "12", "kgce/weight case", lower},
		{"", "carbon_intensity", "0.8", "1.5", "tCO2/万元", lower},
	} {
		ind, _ := c.IndustryByCode(tc.industry)
		m, ok := c.Metric(ind, tc.metric)
		if !ok {
			t.Errorf("%s %s missing", tc.industry, tc.metric)
			continue
		}
		if m.BenchmarkLevel.String() != tc.benchmark || m.BaselineLevel.String() != tc.baseline ||
			m.Unit != tc.unit || m.Direction != tc.direction {
			t.Errorf("%s = %s/%s %s %s; want %s/%s %s %s", tc.metric, m.BenchmarkLevel, m.BaselineLevel,
				m.Unit, m.Direction, tc.benchmark, tc.baseline, tc.unit, tc.direction)
		}
		if tc.industry == "C28" && m.Source != "GB 36889-2025 表1" {
			t.Errorf("%s source %q, want GB 36889-2025", tc.metric, m.Source)
		}
	}
}

// Every metric must be usable (referenced by a pathway) and explained.
func TestShippedCatalogueCompleteness(t *testing.T) {
	c := shipped(t)
	used := map[string]bool{}
	for _, ind := range c.Industries {
		for _, p := range ind.Pathways {
			for _, id := range p.Metrics {
				used[id] = true
			}
		}
	}
	all := slices.Clone(c.Metrics)
	for _, ind := range c.Industries {
		all = append(all, ind.Metrics...)
	}
	for _, m := range all {
		if !used[m.ID] {
			t.Errorf("metric %s is in no pathway", m.ID)
		}
		if m.NameZh == "" || m.NameEn == "" || m.Source == "" {
			t.Errorf("metric %s lacks a name or source", m.ID)
		}
		if m.Illustrative != strings.Contains(m.Source, "illustrative") {
			t.Errorf("metric %s: illustrative=%v but source %q", m.ID, m.Illustrative, m.Source)
		}
	}
	s, err := catalog.NewSet(c)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := s.InForce(tfpricing.MustParseDate("2023-05-31")); ok {
		t.Error("in force before 2023-06-01")
	}
	if got, ok := s.InForce(tfpricing.MustParseDate("2026-11-27")); !ok || got != c {
		t.Error("not in force on 2026-11-27")
	}
}
