package catalog

import (
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// Assess runs the eligibility rules of DESIGN.md §3.1 against c, in order,
// and grades the borrower. It never fails: a plan that was not validated
// (no targets, unknown codes) makes rules fail rather than panic. Choosing
// the version in force on p.AsOf is the caller's job (Set.InForce).
func (c *Catalogue) Assess(p Plan) Assessment {
	return c.AssessWith(p, CurrentRules)
}

// AssessWith runs the rules of one rule set: replay reassesses a recorded
// quote with the rules its engine version had.
func (c *Catalogue) AssessWith(p Plan, set RuleSet) Assessment {
	a := Assessment{Catalogue: c.Ref()}
	r := rules{}

	ind, ok := c.IndustryFor(p.Borrower.IndustryCode)
	if ok {
		a.Industry = ind
		r.pass(RuleIndustryCovered,
			"行业代码 "+p.Borrower.IndustryCode+" 属于目录行业 "+ind.Code+" "+ind.NameZh,
			"industry code "+p.Borrower.IndustryCode+" is covered by catalogue industry "+ind.Code+" ("+ind.NameEn+")")
	} else {
		r.fail(RuleIndustryCovered,
			"行业代码 "+strconv.Quote(p.Borrower.IndustryCode)+" 不在目录 "+c.ID+" "+c.Version+" 的支持范围内",
			"industry code "+strconv.Quote(p.Borrower.IndustryCode)+" is not covered by catalogue "+c.ID+" "+c.Version)
	}

	var pw *Pathway
	if r.ready(RulePathwayInIndustry, RuleIndustryCovered) {
		if pw, ok = ind.Pathway(p.PathwayID); ok {
			a.Pathway = pw
			r.pass(RulePathwayInIndustry,
				"技术路径 "+pw.ID+" "+pw.NameZh+" 属于行业 "+ind.Code,
				"pathway "+pw.ID+" ("+pw.NameEn+") belongs to industry "+ind.Code)
		} else {
			ids := pathwayIDs(ind)
			r.fail(RulePathwayInIndustry,
				"技术路径 "+strconv.Quote(p.PathwayID)+" 不属于行业 "+ind.Code+"（可选："+ids+"）",
				"pathway "+strconv.Quote(p.PathwayID)+" is not a pathway of industry "+ind.Code+" (choose from "+ids+")")
		}
	}

	var core *KPI
	var metric *Metric
	if r.ready(RuleCoreKPIPresent, RulePathwayInIndustry) {
		core, metric = c.coreKPI(ind, pw, p.KPIs)
		if core != nil {
			a.CoreKPI = core.MetricID
			r.pass(RuleCoreKPIPresent,
				"核心KPI为 "+metric.ID+"（"+metric.NameZh+"），属于技术路径 "+pw.ID+" 的指标",
				"the core KPI is "+metric.ID+" ("+metric.NameEn+"), a metric of pathway "+pw.ID)
		} else {
			ids := strings.Join(pw.Metrics, ", ")
			r.fail(RuleCoreKPIPresent,
				"计划中没有衡量技术路径 "+pw.ID+" 指标（"+ids+"）的KPI",
				"no KPI of the plan measures a metric of pathway "+pw.ID+" ("+ids+")")
		}
	}

	if p.Borrower.ObsoleteCapacity {
		r.fail(RuleNoObsoleteCapacity, "借款人存在淘汰类产能",
			"the borrower operates capacity classed for phase-out (淘汰类产能)")
	} else {
		r.pass(RuleNoObsoleteCapacity, "借款人未申报淘汰类产能",
			"the borrower declares no capacity classed for phase-out")
	}

	if r.ready(RuleReachesBaselineLevel, RuleCoreKPIPresent) {
		r.reachesLevel(core, metric)
	}
	if r.ready(RuleReachesBaselineInTime, RuleCoreKPIPresent) {
		r.reachesInTime(core, metric, c.MaxYearsToBaselineLevel)
	}
	if r.ready(RuleAmbition, RuleCoreKPIPresent) {
		r.ambition(core, metric, pw)
	}
	if r.ready(RuleJustTransition, RuleIndustryCovered) {
		r.justTransition(ind, p.Borrower.JustTransitionScore, c.MinJustTransitionScore)
	}
	if set >= RulesWithNewCapacity && r.ready(RuleNewCapacity, RuleCoreKPIPresent) {
		r.newCapacity(core, metric, p.Borrower.NewCapacity)
	}

	a.Checks = r.checks
	a.Eligible = r.allPassed()
	a.Tier = Ineligible
	if a.Eligible {
		a.Tier = tierOf(core.Baseline.Value, metric)
	}
	return a
}

// coreKPI returns the first plan KPI whose metric id is one of the pathway's
// metrics, with that metric. Pathway metric ids that do not resolve (only
// possible in a hand-built catalogue) are ignored rather than trusted.
func (c *Catalogue) coreKPI(ind *Industry, pw *Pathway, kpis []KPI) (*KPI, *Metric) {
	for i := range kpis {
		if !pw.HasMetric(kpis[i].MetricID) {
			continue
		}
		if m, ok := c.Metric(ind, kpis[i].MetricID); ok {
			return &kpis[i], m
		}
	}
	return nil, nil
}

// tierOf grades a baseline value against the metric's levels.
func tierOf(baseline decimal.Decimal, m *Metric) Tier {
	switch {
	case m.Direction.AtOrBetter(baseline, m.BenchmarkLevel):
		return Leading
	case m.Direction.AtOrBetter(baseline, m.BaselineLevel):
		return Advancing
	default:
		return Transitioning
	}
}

// rules accumulates checks in evaluation order. The rules build their
// messages by concatenation rather than fmt.Sprintf (which was ≈ 9 % of an
// eligibility request); TestAssessMessagesMatchSprintf holds them to the
// Sprintf formats they replaced, byte for byte.
type rules struct {
	checks []Check
}

func (r *rules) pass(rule, zh, en string) {
	r.checks = append(r.checks, Check{Rule: rule, Status: Pass, MessageZh: zh, MessageEn: en})
}

func (r *rules) fail(rule, zh, en string) {
	r.checks = append(r.checks, Check{Rule: rule, Status: Fail, MessageZh: zh, MessageEn: en})
}

// ready reports whether rule's dependency passed; if not, it records rule as
// skipped. A skipped dependency counts as not passed, so skipping cascades.
func (r *rules) ready(rule, dependency string) bool {
	for _, ch := range r.checks {
		if ch.Rule == dependency && ch.Status == Pass {
			return true
		}
	}
	r.checks = append(r.checks, Check{
		Rule:      rule,
		Status:    Skipped,
		MessageZh: "未评估：所依赖的规则 " + dependency + " 未通过",
		MessageEn: "not assessed: it depends on " + dependency + ", which did not pass",
	})
	return false
}

func (r *rules) allPassed() bool {
	for _, ch := range r.checks {
		if ch.Status != Pass {
			return false
		}
	}
	return true
}

func pathwayIDs(ind *Industry) string {
	ids := make([]string, 0, len(ind.Pathways))
	for _, p := range ind.Pathways {
		ids = append(ids, p.ID)
	}
	return strings.Join(ids, ", ")
}

// quantity formats a value with its unit for messages: "76 kgce/t", "40%".
func quantity(v decimal.Decimal, unit string) string {
	if unit == "%" {
		return decString(v) + "%"
	}
	return decString(v) + " " + unit
}
