package catalog

import (
	"strconv"
)

// RuleSet names the eligibility rules in force for an engine version. A
// recorded quote is reassessed with the rules it was decided under, so a
// rule added later does not make old decisions fail to replay.
type RuleSet int

// The rule sets.
const (
	// EightRules are rules 1–8 of DESIGN.md §3.1 (engine version 1).
	EightRules RuleSet = 1
	// RulesWithNewCapacity adds rule 9, new_capacity_at_benchmark.
	RulesWithNewCapacity RuleSet = 2
	// CurrentRules is the rule set new assessments use.
	CurrentRules = RulesWithNewCapacity
)

// newCapacity is rule 9, new_capacity_at_benchmark: a new or expanded line
// (新建或扩建项目) must be built to the benchmark level (标杆水平, 发改产业〔2021〕
// 1609号), so where the borrower declares new capacity the core KPI's first
// target (the earliest year) must be at or better than the metric's
// benchmark_level; without new capacity the rule passes. The caller skips it
// when there is no core KPI.
func (r *rules) newCapacity(k *KPI, m *Metric, isNew bool) {
	lvl := quantity(m.BenchmarkLevel, m.Unit)
	if !isNew {
		r.pass(RuleNewCapacity, "借款人未申报新建或扩建产能，不适用标杆水平要求",
			"the borrower declares no new or expanded capacity, so the benchmark-level requirement does not apply")
		return
	}
	if len(k.Targets) == 0 {
		r.fail(RuleNewCapacity, "核心KPI "+m.ID+" 没有目标值",
			"the core KPI "+m.ID+" has no targets")
		return
	}
	first := k.Targets[0]
	v, year := quantity(first.Value, m.Unit), strconv.Itoa(first.Year)
	if m.Direction.AtOrBetter(first.Value, m.BenchmarkLevel) {
		r.pass(RuleNewCapacity,
			"新建或扩建项目：首个目标 "+v+"（"+year+"年）达到或优于标杆水平 "+lvl,
			"new or expanded capacity: the first target "+v+" ("+year+") is at or better than the benchmark level "+lvl)
		return
	}
	r.fail(RuleNewCapacity,
		"新建或扩建项目应达到标杆水平：首个目标 "+v+"（"+year+"年）未达到标杆水平 "+lvl,
		"new or expanded capacity must be built to the benchmark level: the first target "+v+" ("+year+") is worse than the benchmark level "+lvl)
}
