package catalog_test

import (
	"os"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/catalog"
)

// shippedPath is the catalogue version the service ships that is in force
// from 2026-06-01 (open-ended), relative to this package; shippedDir holds
// every shipped version.
const (
	shippedPath = "../configs/catalog/huzhou-transition-2.2.yaml"
	shippedDir  = "../configs/catalog"
)

// testYAML is a small catalogue whose figures the eligibility cases are
// worked against by hand:
//
//	max_years_to_baseline_level 3, min_just_transition_score 60
//	carbon_intensity (catalogue level): lower is better, benchmark 1, baseline 2
//	C28 (just transition required): P-FDY [fdy, carbon_intensity] min 10 %
//	    fdy: kgce/t, lower is better, benchmark 50, baseline 80
//	C17 (not required):   P-WEAVE [carbon_intensity] min 5 %
//	C1713 (not required): P-REUSE [reuse] min 20 %, P-DYE [dye_energy] min 10 %
//	    reuse: %, higher is better, benchmark 60, baseline 40
//	    dye_energy: kgce/100 m, lower is better, benchmark 22, baseline 30
const testYAML = `
id: test-catalogue
version: "1"
title_zh: 测试目录
effective_from: 2024-01-01
effective_to: null
max_years_to_baseline_level: 3
min_just_transition_score: 60
metrics:
  - {id: carbon_intensity, name_zh: 碳强度, name_en: Carbon intensity, unit: tCO2/万元,
     direction: lower_is_better, benchmark_level: "1", baseline_level: "2", source: test, illustrative: true}
industries:
  - code: C28
    name_zh: 化学纤维制造业
    name_en: Chemical fibre manufacturing
    just_transition_required: true
    pathways:
      - {id: P-FDY, name_zh: 节能改造, name_en: Energy efficiency, kind: energy_efficiency,
         metrics: [fdy, carbon_intensity], min_improvement_pct: "10"}
    metrics:
      - {id: fdy, name_zh: FDY能耗, name_en: FDY energy, unit: kgce/t, direction: lower_is_better,
         benchmark_level: "50", baseline_level: "80", source: test}
  - code: C17
    name_zh: 纺织业
    name_en: Textiles
    pathways:
      - {id: P-WEAVE, name_zh: 织造节能, name_en: Weaving efficiency, kind: energy_efficiency,
         metrics: [carbon_intensity], min_improvement_pct: "5"}
  - code: C1713
    name_zh: 棉印染精加工
    name_en: Cotton dyeing
    pathways:
      - {id: P-REUSE, name_zh: 中水回用, name_en: Water reuse, kind: circular,
         metrics: [reuse], min_improvement_pct: "20"}
      - {id: P-DYE, name_zh: 低浴比染色, name_en: Low-liquor dyeing, kind: process_upgrade,
         metrics: [dye_energy], min_improvement_pct: "10"}
    metrics:
      - {id: reuse, name_zh: 水重复利用率, name_en: Water reuse rate, unit: "%", direction: higher_is_better,
         benchmark_level: "60", baseline_level: "40", source: test}
      - {id: dye_energy, name_zh: 染色能耗, name_en: Dyeing energy, unit: kgce/100 m,
         direction: lower_is_better, benchmark_level: "22", baseline_level: "30", source: test}
`

func mustParse(t testing.TB, name, doc string) *catalog.Catalogue {
	t.Helper()
	c, err := catalog.Parse(name, []byte(doc))
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return c
}

func testCatalogue(t testing.TB) *catalog.Catalogue { return mustParse(t, "test.yaml", testYAML) }

func shipped(t testing.TB) *catalog.Catalogue {
	t.Helper()
	b, err := os.ReadFile(shippedPath)
	if err != nil {
		t.Fatal(err)
	}
	return mustParse(t, shippedPath, string(b))
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func score(n int) *int { return &n }

// kpi builds a KPI from "year:value" pairs: the first is the baseline, the
// rest are the targets.
func kpi(metric string, obs ...string) catalog.KPI {
	k := catalog.KPI{MetricID: metric}
	for i, o := range obs {
		y, v, _ := strings.Cut(o, ":")
		ob := catalog.Observation{Year: atoi(y), Value: dec(v)}
		if i == 0 {
			k.Baseline = ob
		} else {
			k.Targets = append(k.Targets, ob)
		}
	}
	return k
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

// plan is a plan of a well-formed borrower; cases override what they test.
func plan(code, pathway string, jt *int, kpis ...catalog.KPI) catalog.Plan {
	return catalog.Plan{
		Borrower: catalog.Borrower{
			Name: "湖州示例化纤有限公司", USCC: "91350100M000100Y43",
			IndustryCode: code, JustTransitionScore: jt,
		},
		PathwayID: pathway,
		KPIs:      kpis,
		AsOf:      tfpricing.MustParseDate("2026-11-27"),
	}
}

// statuses renders the checks' statuses in rule order, one letter each:
// P pass, F fail, S skipped — compact enough to compare a whole case at once.
func statuses(a catalog.Assessment) string {
	var b strings.Builder
	for _, ch := range a.Checks {
		b.WriteByte(strings.ToUpper(string(ch.Status))[0])
	}
	return b.String()
}
