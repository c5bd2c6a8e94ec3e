package catalog_test

import (
	"strings"
	"testing"

	"tfpricing/catalog"
)

// ruleOrder is DESIGN.md §3.1's order.
var ruleOrder = []string{
	catalog.RuleIndustryCovered, catalog.RulePathwayInIndustry, catalog.RuleCoreKPIPresent,
	catalog.RuleNoObsoleteCapacity, catalog.RuleReachesBaselineLevel, catalog.RuleReachesBaselineInTime,
	catalog.RuleAmbition, catalog.RuleJustTransition, catalog.RuleNewCapacity,
}

type want struct{ rule, en string } // en: a substring of the rule's message_en

type assessCase struct {
	name     string
	plan     catalog.Plan
	statuses string // one letter per rule in order: P pass, F fail, S skipped
	tier     catalog.Tier
	core     string
	messages []want
}

func runAssess(t *testing.T, c *catalog.Catalogue, cases []assessCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := c.Assess(tc.plan)
			if got := statuses(a); got != tc.statuses {
				t.Errorf("statuses = %s, want %s\n%s", got, tc.statuses, dump(a))
			}
			for i, ch := range a.Checks {
				if i >= len(ruleOrder) || ch.Rule != ruleOrder[i] {
					t.Fatalf("check %d is %q, want the rules in order %v", i, ch.Rule, ruleOrder)
				}
				if ch.MessageZh == "" || ch.MessageEn == "" {
					t.Errorf("%s: a bilingual message is missing: %+v", ch.Rule, ch)
				}
			}
			if len(a.Checks) != len(ruleOrder) {
				t.Fatalf("%d checks, want %d", len(a.Checks), len(ruleOrder))
			}
			wantEligible := !strings.ContainsAny(tc.statuses, "FS")
			if a.Eligible != wantEligible || a.Tier != tc.tier || a.CoreKPI != tc.core {
				t.Errorf("eligible, tier, core = %v, %s, %q; want %v, %s, %q",
					a.Eligible, a.Tier, a.CoreKPI, wantEligible, tc.tier, tc.core)
			}
			if a.Catalogue != c.Ref() {
				t.Errorf("catalogue ref = %+v, want %+v", a.Catalogue, c.Ref())
			}
			for _, w := range tc.messages {
				if got := message(a, w.rule); !strings.Contains(got, w.en) {
					t.Errorf("%s message = %q, want it to contain %q", w.rule, got, w.en)
				}
			}
		})
	}
}

func message(a catalog.Assessment, rule string) string {
	for _, ch := range a.Checks {
		if ch.Rule == rule {
			return ch.MessageEn
		}
	}
	return ""
}

func dump(a catalog.Assessment) string {
	var b strings.Builder
	for _, ch := range a.Checks {
		b.WriteString("  " + ch.Rule + " " + string(ch.Status) + ": " + ch.MessageEn + "\n")
	}
	return b.String()
}

func TestAssessTiers(t *testing.T) {
	c := testCatalogue(t)
	runAssess(t, c, []assessCase{{
		// fdy 50 → 46 → 44. Final 44 ≤ 80; first target at ≤ 80 is 2025 ≤ 2024+3;
		// (50−44)·100 = 600 ≥ 10·50 = 500 (12.00 %); score 70 ≥ 60.
		// Baseline 50 ≤ benchmark 50 (equality counts) → leading.
		name:     "leading at the benchmark boundary",
		plan:     plan("C2822", "P-FDY", score(70), kpi("fdy", "2024:50", "2025:46", "2026:44")),
		statuses: "PPPPPPPPP", tier: catalog.Leading, core: "fdy",
		messages: []want{
			{catalog.RuleAmbition, "final target 44 kgce/t improves on the baseline 50 kgce/t by 12.00%"},
			{catalog.RuleJustTransition, "just-transition score 70 meets the minimum 60"},
		},
	}, {
		// fdy 80 → 75 → 70. (80−70)·100 = 1000 ≥ 800 (12.50 %).
		// 80 > 50 but 80 ≤ baseline level 80 → advancing.
		name:     "advancing at the baseline boundary",
		plan:     plan("C2822", "P-FDY", score(60), kpi("fdy", "2024:80", "2025:75", "2026:70")),
		statuses: "PPPPPPPPP", tier: catalog.Advancing, core: "fdy",
		messages: []want{{catalog.RuleAmbition, "by 12.50%"}, {catalog.RuleJustTransition, "score 60 meets the minimum 60"}},
	}, {
		// fdy 90 → 85 → 80. Final 80 ≤ 80; first at ≤ 80 is 2026 ≤ 2027;
		// (90−80)·100 = 1000 ≥ 900 (11.11 %). 90 > 80 → transitioning.
		name:     "transitioning",
		plan:     plan("C2822", "P-FDY", score(75), kpi("fdy", "2024:90", "2025:85", "2026:80")),
		statuses: "PPPPPPPPP", tier: catalog.Transitioning, core: "fdy",
		messages: []want{
			{catalog.RuleReachesBaselineLevel, "final target 80 kgce/t (2026) is at or better than the baseline level 80 kgce/t"},
			{catalog.RuleReachesBaselineInTime, "the 2026 target 80 kgce/t is the first at or better than the baseline level 80 kgce/t, within 3 years of the baseline year 2024 (by 2027)"},
			{catalog.RuleAmbition, "by 11.11%, at least the 10% pathway P-FDY requires"},
		},
	}, {
		// Water reuse, higher is better, P-REUSE min 20 %: 35 → 40 → 45.
		// Final 45 ≥ 40; first at ≥ 40 is 2025 (40, equality) ≤ 2027;
		// (45−35)·100 = 1000 ≥ 20·35 = 700 (28.57 %); C1713 needs no score.
		// 35 < 60 and 35 < 40 → transitioning.
		name:     "higher is better, transitioning",
		plan:     plan("C1713", "P-REUSE", nil, kpi("reuse", "2024:35", "2025:40", "2026:45")),
		statuses: "PPPPPPPPP", tier: catalog.Transitioning, core: "reuse",
		messages: []want{
			{catalog.RuleReachesBaselineLevel, "final target 45% (2026) is at or better than the baseline level 40%"},
			{catalog.RuleAmbition, "by 28.57%"},
			{catalog.RuleJustTransition, "industry C1713 does not require a just-transition assessment"},
		},
	}, {
		// Reuse 60 → 70 → 75: (75−60)·100 = 1500 ≥ 20·60 = 1200 (25.00 %).
		// 60 ≥ benchmark 60 → leading.
		name:     "higher is better, leading",
		plan:     plan("C1713", "P-REUSE", nil, kpi("reuse", "2024:60", "2025:70", "2026:75")),
		statuses: "PPPPPPPPP", tier: catalog.Leading, core: "reuse",
		messages: []want{{catalog.RuleAmbition, "by 25.00%"}},
	}, {
		// Reuse 40 → 44 → 46: (46−40)·100 = 600 < 20·40 = 800 (15.00 %).
		name:     "higher is better, not ambitious enough",
		plan:     plan("C1713", "P-REUSE", nil, kpi("reuse", "2024:40", "2025:44", "2026:46")),
		statuses: "PPPPPPFPP", tier: catalog.Ineligible, core: "reuse",
		messages: []want{{catalog.RuleAmbition, "by 15.00%, less than the 20% pathway P-REUSE requires"}},
	}})
}

func TestAssessPlanShapes(t *testing.T) {
	c := testCatalogue(t)
	solar := catalog.KPI{MetricID: "solar_share", Name: "Rooftop solar share", Unit: "%",
		Direction: catalog.HigherIsBetter, Custom: true,
		Baseline: obs(2024, "5"), Targets: []catalog.Observation{obs(2026, "30")}}
	core := kpi("fdy", "2024:90", "2025:85", "2026:80") // transitioning, as worked above
	runAssess(t, c, []assessCase{{
		name:     "custom KPI accepted beside the core KPI",
		plan:     plan("C2822", "P-FDY", score(70), core, solar),
		statuses: "PPPPPPPPP", tier: catalog.Transitioning, core: "fdy",
	}, {
		// The custom KPI comes first; the core KPI is the first one whose metric
		// is a pathway metric, kpis[1].
		name:     "first KPI custom, second core",
		plan:     plan("C2822", "P-FDY", score(70), solar, core),
		statuses: "PPPPPPPPP", tier: catalog.Transitioning, core: "fdy",
		messages: []want{{catalog.RuleCoreKPIPresent, "the core KPI is fdy (FDY energy), a metric of pathway P-FDY"}},
	}, {
		// Both carbon_intensity and fdy belong to P-FDY: the first in the plan
		// wins. carbon_intensity 1.8 → 1.5: (0.3)·100 = 30 ≥ 10·1.8 = 18
		// (16.67 %); 1.8 ≤ 2 but > 1 → advancing.
		name: "first pathway metric in plan order is the core KPI",
		plan: plan("C2822", "P-FDY", score(70),
			kpi("carbon_intensity", "2024:1.8", "2025:1.6", "2026:1.5"), core),
		statuses: "PPPPPPPPP", tier: catalog.Advancing, core: "carbon_intensity",
		messages: []want{{catalog.RuleAmbition, "by 16.67%"}},
	}, {
		// C1713 is its own industry: the longest prefix beats C17, so the C17
		// pathway P-WEAVE is not available and the dependants are skipped.
		name:     "longest prefix: C1713 is not C17",
		plan:     plan("C1713", "P-WEAVE", nil, kpi("carbon_intensity", "2024:1.8", "2025:1.6", "2026:1.5")),
		statuses: "PFSPSSSPS", tier: catalog.Ineligible,
		messages: []want{
			{catalog.RuleIndustryCovered, "industry code C1713 is covered by catalogue industry C1713 (Cotton dyeing)"},
			{catalog.RulePathwayInIndustry, `pathway "P-WEAVE" is not a pathway of industry C1713 (choose from P-REUSE, P-DYE)`},
		},
	}, {
		// C1711 (cotton weaving) falls back to C17. carbon_intensity 1.8 → 1.5:
		// 16.67 % ≥ 5 %; 1.8 ≤ 2 → advancing; C17 needs no score.
		name:     "longest prefix: C1711 falls back to C17",
		plan:     plan("C1711", "P-WEAVE", nil, kpi("carbon_intensity", "2024:1.8", "2025:1.6", "2026:1.5")),
		statuses: "PPPPPPPPP", tier: catalog.Advancing, core: "carbon_intensity",
		messages: []want{{catalog.RuleIndustryCovered, "covered by catalogue industry C17 (Textiles)"}},
	}})
}

// The DESIGN.md §7 example against the shipped catalogue: C2822 → C28,
// C28-P01, pet_fdy_energy 88 → 82 (2026) → 76 (2027), score 72.
// Final 76 ≤ 83; first at ≤ 83 is 2026 (82) ≤ 2025+3 = 2028;
// (88−76)·100 = 1200 ≥ 8·88 = 704, i.e. 12/88 = 13.636… → 13.64 %;
// 72 ≥ 60. Baseline 88 is worse than 83 → transitioning.
func TestAssessDesignExample(t *testing.T) {
	runAssess(t, shipped(t), []assessCase{{
		name: "design example",
		plan: plan("C2822", "C28-P01", score(72),
			kpi("pet_fdy_energy", "2025:88", "2026:82", "2027:76")),
		statuses: "PPPPPPPPP", tier: catalog.Transitioning, core: "pet_fdy_energy",
		messages: []want{
			{catalog.RuleIndustryCovered, "industry code C2822 is covered by catalogue industry C28 (Chemical fibre manufacturing)"},
			{catalog.RuleReachesBaselineLevel, "final target 76 kgce/t (2027) is at or better than the baseline level 83 kgce/t"},
			{catalog.RuleReachesBaselineInTime, "the 2026 target 82 kgce/t is the first at or better than the baseline level 83 kgce/t, within 3 years of the baseline year 2025 (by 2028)"},
			{catalog.RuleAmbition, "final target 76 kgce/t improves on the baseline 88 kgce/t by 13.64%, at least the 8% pathway C28-P01 requires"},
			{catalog.RuleJustTransition, "just-transition score 72 meets the minimum 60"},
		},
	}})
}

func obs(year int, value string) catalog.Observation {
	return catalog.Observation{Year: year, Value: dec(value)}
}
