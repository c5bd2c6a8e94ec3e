package catalog_test

import (
	"testing"

	"tfpricing/catalog"
)

// One case per rule failing, against testYAML (see fixtures_test.go), each
// showing which dependants are skipped. The eligible baseline they vary is
// fdy 90 → 85 (2025) → 80 (2026) under C2822/P-FDY with score 70.
func TestAssessEachRuleFailing(t *testing.T) {
	c := testCatalogue(t)
	good := kpi("fdy", "2024:90", "2025:85", "2026:80")
	obsolete := plan("C2822", "P-FDY", score(70), good)
	obsolete.Borrower.ObsoleteCapacity = true
	runAssess(t, c, []assessCase{{
		// B0610 (coal mining) has no catalogue industry: pathway and core KPI
		// are skipped, and with them rules 5–7; just_transition depends on the
		// industry too. no_obsolete_capacity depends on nothing and passes.
		name:     "1 industry_covered",
		plan:     plan("B0610", "P-FDY", score(70), good),
		statuses: "FSSPSSSSS", tier: catalog.Ineligible,
		messages: []want{
			{catalog.RuleIndustryCovered, `industry code "B0610" is not covered by catalogue test-catalogue 1`},
			{catalog.RulePathwayInIndustry, "not assessed: it depends on industry_covered"},
			{catalog.RuleCoreKPIPresent, "not assessed: it depends on pathway_in_industry"},
			{catalog.RuleJustTransition, "not assessed: it depends on industry_covered"},
		},
	}, {
		// P-WEAVE is a C17 pathway; C2822 matches C28 whose only pathway is
		// P-FDY. Core KPI and rules 5–7 skipped; score 70 ≥ 60 still assessed.
		name:     "2 pathway_in_industry",
		plan:     plan("C2822", "P-WEAVE", score(70), good),
		statuses: "PFSPSSSPS", tier: catalog.Ineligible,
		messages: []want{
			{catalog.RulePathwayInIndustry, `pathway "P-WEAVE" is not a pathway of industry C28 (choose from P-FDY)`},
			{catalog.RuleReachesBaselineLevel, "depends on core_kpi_present"},
		},
	}, {
		// dye_energy is a C1713 metric, not one of P-FDY's [fdy, carbon_intensity].
		name:     "3 core_kpi_present",
		plan:     plan("C2822", "P-FDY", score(70), kpi("dye_energy", "2024:30", "2025:25")),
		statuses: "PPFPSSSPS", tier: catalog.Ineligible,
		messages: []want{
			{catalog.RuleCoreKPIPresent, "no KPI of the plan measures a metric of pathway P-FDY (fdy, carbon_intensity)"},
			{catalog.RuleAmbition, "not assessed: it depends on core_kpi_present"},
		},
	}, {
		// Everything else as in the transitioning case; only rule 4 fails, and
		// no rule depends on it.
		name:     "4 no_obsolete_capacity",
		plan:     obsolete,
		statuses: "PPPFPPPPP", tier: catalog.Ineligible, core: "fdy",
		messages: []want{{catalog.RuleNoObsoleteCapacity, "phase-out"}},
	}, {
		// 100 → 78 (2025) → 85 (2026): the final target 85 > 80 fails rule 5,
		// yet 2025's 78 ≤ 80 by 2027 passes rule 6, and
		// (100−85)·100 = 1500 ≥ 10·100 = 1000 passes rule 7.
		name:     "5 reaches_baseline_level",
		plan:     plan("C2822", "P-FDY", score(70), kpi("fdy", "2020:100", "2021:78", "2022:85")),
		statuses: "PPPPFPPPP", tier: catalog.Ineligible, core: "fdy",
		messages: []want{{catalog.RuleReachesBaselineLevel, "final target 85 kgce/t (2022) is worse than the baseline level 80 kgce/t"}},
	}, {
		// 100 → 90 (2022) → 78 (2024): final 78 ≤ 80 passes rule 5, but the
		// first target at ≤ 80 is 2024 > 2020 + 3 = 2023; (22)·100 ≥ 1000.
		name:     "6 reaches_baseline_in_time",
		plan:     plan("C2822", "P-FDY", score(70), kpi("fdy", "2020:100", "2022:90", "2024:78")),
		statuses: "PPPPPFPPP", tier: catalog.Ineligible, core: "fdy",
		messages: []want{{catalog.RuleReachesBaselineInTime, "the first target at or better than the baseline level 80 kgce/t is in 2024 (78 kgce/t), later than 2023 (baseline year 2020 + 3 years)"}},
	}, {
		// The deadline year itself is in time: 78 ≤ 80 in 2023 = 2020 + 3.
		name:     "6 reached in the deadline year",
		plan:     plan("C2822", "P-FDY", score(70), kpi("fdy", "2020:100", "2022:90", "2023:78")),
		statuses: "PPPPPPPPP", tier: catalog.Transitioning, core: "fdy",
		messages: []want{{catalog.RuleReachesBaselineInTime, "the 2023 target 78 kgce/t is the first at or better than the baseline level 80 kgce/t, within 3 years of the baseline year 2020 (by 2023)"}},
	}, {
		// 100 → 90 → 85: no target reaches 80, so rules 5 and 6 both fail.
		name:     "6 no target ever reaches the level",
		plan:     plan("C2822", "P-FDY", score(70), kpi("fdy", "2024:100", "2025:90", "2026:85")),
		statuses: "PPPPFFPPP", tier: catalog.Ineligible, core: "fdy",
		messages: []want{{catalog.RuleReachesBaselineInTime, "no target reaches the baseline level 80 kgce/t (due by 2027"}},
	}, {
		// 84 → 80 → 78: rules 5 and 6 pass; (84−78)·100 = 600 < 10·84 = 840,
		// 6/84 = 7.142… → 7.14 %.
		name:     "7 ambition",
		plan:     plan("C2822", "P-FDY", score(70), kpi("fdy", "2024:84", "2025:80", "2026:78")),
		statuses: "PPPPPPFPP", tier: catalog.Ineligible, core: "fdy",
		messages: []want{{catalog.RuleAmbition, "final target 78 kgce/t improves on the baseline 84 kgce/t by 7.14%, less than the 10% pathway P-FDY requires"}},
	}, {
		// Exactly 10 %: (88.8−79.92)·100 = 888 = 10·88.8. Passes only because
		// the comparison is exact (in binary floating point 88.8−79.92 is
		// 8.879999…).
		name:     "7 ambition met exactly",
		plan:     plan("C2822", "P-FDY", score(70), kpi("fdy", "2024:88.8", "2026:79.92")),
		statuses: "PPPPPPPPP", tier: catalog.Transitioning, core: "fdy",
		messages: []want{{catalog.RuleAmbition, "by 10.00%"}},
	}, {
		// 0.01 short: (88.8−79.93)·100 = 887 < 888; 8.87/88.8 = 9.988… → 9.99 %.
		name:     "7 ambition missed by a hair",
		plan:     plan("C2822", "P-FDY", score(70), kpi("fdy", "2024:88.8", "2026:79.93")),
		statuses: "PPPPPPFPP", tier: catalog.Ineligible, core: "fdy",
		messages: []want{{catalog.RuleAmbition, "by 9.99%"}},
	}, {
		name:     "8 just_transition below the minimum",
		plan:     plan("C2822", "P-FDY", score(59), good),
		statuses: "PPPPPPPFP", tier: catalog.Ineligible, core: "fdy",
		messages: []want{{catalog.RuleJustTransition, "just-transition score 59 is below the minimum 60"}},
	}, {
		name:     "8 just_transition missing where required",
		plan:     plan("C2822", "P-FDY", nil, good),
		statuses: "PPPPPPPFP", tier: catalog.Ineligible, core: "fdy",
		messages: []want{{catalog.RuleJustTransition, "industry C28 requires a just-transition score of at least 60; none was given"}},
	}})
}

// Assess must cope with plans that never went through Validate.
func TestAssessMalformedPlans(t *testing.T) {
	c := testCatalogue(t)
	runAssess(t, c, []assessCase{{
		name:     "zero plan",
		plan:     catalog.Plan{},
		statuses: "FSSPSSSSS", tier: catalog.Ineligible,
	}, {
		name:     "no KPIs",
		plan:     plan("C2822", "P-FDY", score(70)),
		statuses: "PPFPSSSPS", tier: catalog.Ineligible,
	}, {
		// Without targets rules 5–7 fail instead of indexing an empty slice.
		name:     "core KPI without targets",
		plan:     plan("C2822", "P-FDY", score(70), kpi("fdy", "2024:90")),
		statuses: "PPPPFFFPP", tier: catalog.Ineligible, core: "fdy",
		messages: []want{{catalog.RuleReachesBaselineLevel, "the core KPI fdy has no targets"}},
	}, {
		// Lower is better from a zero baseline cannot improve: 0 → 0 is 0 %,
		// short of 10 %, although the cross-multiplied 0 ≥ 0 would hold.
		name:     "zero baseline, lower is better",
		plan:     plan("C2822", "P-FDY", score(70), kpi("fdy", "2024:0", "2025:0")),
		statuses: "PPPPPPFPP", tier: catalog.Ineligible, core: "fdy",
	}, {
		// Higher is better from zero: 0 → 45 is an unbounded improvement.
		// 0 < 40 → transitioning.
		name:     "zero baseline, higher is better",
		plan:     plan("C1713", "P-REUSE", nil, kpi("reuse", "2024:0", "2025:45")),
		statuses: "PPPPPPPPP", tier: catalog.Transitioning, core: "reuse",
	}})
}
