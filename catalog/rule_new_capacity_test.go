package catalog_test

import (
	"testing"

	"tfpricing/catalog"
)

// Rule 9, new_capacity_at_benchmark (DESIGN.md §3.1), worked by hand against
// testYAML: fdy is lower is better with benchmark 50 (and baseline 80);
// reuse is higher is better with benchmark 60 (baseline 40). Only the first
// target is compared with the benchmark, on its boundary both ways.
func TestAssessNewCapacityAtBenchmark(t *testing.T) {
	c := testCatalogue(t)
	newLine := func(p catalog.Plan) catalog.Plan { p.Borrower.NewCapacity = true; return p }
	runAssess(t, c, []assessCase{{
		// First target 50 = benchmark 50: "at or better" passes. Rules 5–7:
		// final 48 ≤ 80; 2025 ≤ 80 by 2027; (55−48)·100 = 700 ≥ 10·55 = 550.
		// Baseline 55 is worse than 50 but ≤ 80: advancing.
		name:     "9 pass: first target exactly at the benchmark (lower is better)",
		plan:     newLine(plan("C2822", "P-FDY", score(70), kpi("fdy", "2024:55", "2025:50", "2026:48"))),
		statuses: "PPPPPPPPP", tier: catalog.Advancing, core: "fdy",
		messages: []want{{catalog.RuleNewCapacity, "the first target 50 kgce/t (2025) is at or better than the benchmark level 50 kgce/t"}},
	}, {
		// First target 51 > 50 fails; the later 48 does not help, since a
		// new line must be built to the benchmark from the start.
		name:     "9 fail: first target just worse than the benchmark",
		plan:     newLine(plan("C2822", "P-FDY", score(70), kpi("fdy", "2024:55", "2025:51", "2026:48"))),
		statuses: "PPPPPPPPF", tier: catalog.Ineligible, core: "fdy",
		messages: []want{{catalog.RuleNewCapacity, "the first target 51 kgce/t (2025) is worse than the benchmark level 50 kgce/t"}},
	}, {
		// The same plan without new capacity: the rule passes.
		name:     "9 pass: no new capacity declared",
		plan:     plan("C2822", "P-FDY", score(70), kpi("fdy", "2024:55", "2025:51", "2026:48")),
		statuses: "PPPPPPPPP", tier: catalog.Advancing, core: "fdy",
		messages: []want{{catalog.RuleNewCapacity, "declares no new or expanded capacity"}},
	}, {
		// dye_energy is no metric of P-FDY: no core KPI, so rule 9 is
		// skipped even though new capacity is declared.
		name:     "9 skipped: no core KPI",
		plan:     newLine(plan("C2822", "P-FDY", score(70), kpi("dye_energy", "2024:30", "2025:25"))),
		statuses: "PPFPSSSPS", tier: catalog.Ineligible,
		messages: []want{{catalog.RuleNewCapacity, "not assessed: it depends on core_kpi_present"}},
	}, {
		// Higher is better: first target 60 = benchmark 60 passes. Rules
		// 5–7: 62 ≥ 40; 2025 ≥ 40 by 2027; (62−50)·100 = 1200 ≥ 20·50 = 1000.
		// Baseline 50 ≥ 40 but < 60: advancing.
		name:     "9 pass: higher is better, first target at the benchmark",
		plan:     newLine(plan("C1713", "P-REUSE", nil, kpi("reuse", "2024:50", "2025:60", "2026:62"))),
		statuses: "PPPPPPPPP", tier: catalog.Advancing, core: "reuse",
		messages: []want{{catalog.RuleNewCapacity, "the first target 60% (2025) is at or better than the benchmark level 60%"}},
	}, {
		// 59.9 < 60 with higher is better fails; read as lower is better it
		// would pass, so this case pins the direction.
		name:     "9 fail: higher is better, first target below the benchmark",
		plan:     newLine(plan("C1713", "P-REUSE", nil, kpi("reuse", "2024:50", "2025:59.9", "2026:62"))),
		statuses: "PPPPPPPPF", tier: catalog.Ineligible, core: "reuse",
		messages: []want{{catalog.RuleNewCapacity, "the first target 59.9% (2025) is worse than the benchmark level 60%"}},
	}})
}

// A quote recorded by engine version 1 is replayed with the eight rules it
// was decided under: no rule 9 check, whatever new_capacity says.
func TestAssessWithEightRules(t *testing.T) {
	c := testCatalogue(t)
	p := plan("C2822", "P-FDY", score(70), kpi("fdy", "2024:55", "2025:51", "2026:48"))
	p.Borrower.NewCapacity = true
	a := c.AssessWith(p, catalog.EightRules)
	if got := statuses(a); got != "PPPPPPPP" || !a.Eligible {
		t.Errorf("eight rules: statuses %s eligible %v, want PPPPPPPP and eligible", got, a.Eligible)
	}
	if got := statuses(c.Assess(p)); got != "PPPPPPPPF" {
		t.Errorf("current rules: statuses %s, want PPPPPPPPF", got)
	}
}
