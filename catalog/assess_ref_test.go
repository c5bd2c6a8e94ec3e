package catalog

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// refAssessWith is AssessWith as it was written with fmt.Sprintf (commit
// 25960f3), kept as the reference the hand-concatenated messages are held
// to: TestAssessMessagesMatchSprintf compares the two on many plans.

// refRules is rules for the reference.
type refRules struct {
	checks []Check
}

func refAssessWith(c *Catalogue, p Plan, set RuleSet) Assessment {
	a := Assessment{Catalogue: c.Ref()}
	r := refRules{}

	ind, ok := c.IndustryFor(p.Borrower.IndustryCode)
	if ok {
		a.Industry = ind
		r.pass(RuleIndustryCovered,
			fmt.Sprintf("行业代码 %s 属于目录行业 %s %s", p.Borrower.IndustryCode, ind.Code, ind.NameZh),
			fmt.Sprintf("industry code %s is covered by catalogue industry %s (%s)", p.Borrower.IndustryCode, ind.Code, ind.NameEn))
	} else {
		r.fail(RuleIndustryCovered,
			fmt.Sprintf("行业代码 %q 不在目录 %s %s 的支持范围内", p.Borrower.IndustryCode, c.ID, c.Version),
			fmt.Sprintf("industry code %q is not covered by catalogue %s %s", p.Borrower.IndustryCode, c.ID, c.Version))
	}

	var pw *Pathway
	if r.ready(RulePathwayInIndustry, RuleIndustryCovered) {
		if pw, ok = ind.Pathway(p.PathwayID); ok {
			a.Pathway = pw
			r.pass(RulePathwayInIndustry,
				fmt.Sprintf("技术路径 %s %s 属于行业 %s", pw.ID, pw.NameZh, ind.Code),
				fmt.Sprintf("pathway %s (%s) belongs to industry %s", pw.ID, pw.NameEn, ind.Code))
		} else {
			ids := pathwayIDs(ind)
			r.fail(RulePathwayInIndustry,
				fmt.Sprintf("技术路径 %q 不属于行业 %s（可选：%s）", p.PathwayID, ind.Code, ids),
				fmt.Sprintf("pathway %q is not a pathway of industry %s (choose from %s)", p.PathwayID, ind.Code, ids))
		}
	}

	var core *KPI
	var metric *Metric
	if r.ready(RuleCoreKPIPresent, RulePathwayInIndustry) {
		core, metric = c.coreKPI(ind, pw, p.KPIs)
		if core != nil {
			a.CoreKPI = core.MetricID
			r.pass(RuleCoreKPIPresent,
				fmt.Sprintf("核心KPI为 %s（%s），属于技术路径 %s 的指标", metric.ID, metric.NameZh, pw.ID),
				fmt.Sprintf("the core KPI is %s (%s), a metric of pathway %s", metric.ID, metric.NameEn, pw.ID))
		} else {
			ids := strings.Join(pw.Metrics, ", ")
			r.fail(RuleCoreKPIPresent,
				fmt.Sprintf("计划中没有衡量技术路径 %s 指标（%s）的KPI", pw.ID, ids),
				fmt.Sprintf("no KPI of the plan measures a metric of pathway %s (%s)", pw.ID, ids))
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

func (r *refRules) pass(rule, zh, en string) {
	r.checks = append(r.checks, Check{Rule: rule, Status: Pass, MessageZh: zh, MessageEn: en})
}

func (r *refRules) fail(rule, zh, en string) {
	r.checks = append(r.checks, Check{Rule: rule, Status: Fail, MessageZh: zh, MessageEn: en})
}

func (r *refRules) ready(rule, dependency string) bool {
	for _, ch := range r.checks {
		if ch.Rule == dependency && ch.Status == Pass {
			return true
		}
	}
	r.checks = append(r.checks, Check{
		Rule:      rule,
		Status:    Skipped,
		MessageZh: fmt.Sprintf("未评估：所依赖的规则 %s 未通过", dependency),
		MessageEn: fmt.Sprintf("not assessed: it depends on %s, which did not pass", dependency),
	})
	return false
}

func (r *refRules) allPassed() bool {
	for _, ch := range r.checks {
		if ch.Status != Pass {
			return false
		}
	}
	return true
}

func (r *refRules) reachesLevel(k *KPI, m *Metric) {
	if len(k.Targets) == 0 {
		r.fail(RuleReachesBaselineLevel, fmt.Sprintf("核心KPI %s 没有目标值", m.ID),
			fmt.Sprintf("the core KPI %s has no targets", m.ID))
		return
	}
	final := k.Targets[len(k.Targets)-1]
	f, lvl := quantity(final.Value, m.Unit), quantity(m.BaselineLevel, m.Unit)
	if m.Direction.AtOrBetter(final.Value, m.BaselineLevel) {
		r.pass(RuleReachesBaselineLevel,
			fmt.Sprintf("最终目标 %s（%d年）达到或优于基准水平 %s", f, final.Year, lvl),
			fmt.Sprintf("final target %s (%d) is at or better than the baseline level %s", f, final.Year, lvl))
		return
	}
	r.fail(RuleReachesBaselineLevel,
		fmt.Sprintf("最终目标 %s（%d年）未达到基准水平 %s", f, final.Year, lvl),
		fmt.Sprintf("final target %s (%d) is worse than the baseline level %s", f, final.Year, lvl))
}

func (r *refRules) reachesInTime(k *KPI, m *Metric, maxYears int) {
	deadline := k.Baseline.Year + maxYears
	lvl := quantity(m.BaselineLevel, m.Unit)
	for _, t := range k.Targets {
		if !m.Direction.AtOrBetter(t.Value, m.BaselineLevel) {
			continue
		}
		v := quantity(t.Value, m.Unit)
		if t.Year <= deadline {
			r.pass(RuleReachesBaselineInTime,
				fmt.Sprintf("%d年目标 %s 首次达到基准水平 %s，不晚于基准年 %d 后 %d 年（%d年）", t.Year, v, lvl, k.Baseline.Year, maxYears, deadline),
				fmt.Sprintf("the %d target %s is the first at or better than the baseline level %s, within %d years of the baseline year %d (by %d)", t.Year, v, lvl, maxYears, k.Baseline.Year, deadline))
			return
		}
		r.fail(RuleReachesBaselineInTime,
			fmt.Sprintf("首次达到基准水平 %s 的目标为 %d年（%s），晚于基准年 %d 后 %d 年（%d年）", lvl, t.Year, v, k.Baseline.Year, maxYears, deadline),
			fmt.Sprintf("the first target at or better than the baseline level %s is in %d (%s), later than %d (baseline year %d + %d years)", lvl, t.Year, v, deadline, k.Baseline.Year, maxYears))
		return
	}
	r.fail(RuleReachesBaselineInTime,
		fmt.Sprintf("没有目标达到基准水平 %s（应不晚于 %d年）", lvl, deadline),
		fmt.Sprintf("no target reaches the baseline level %s (due by %d, baseline year %d + %d years)", lvl, deadline, k.Baseline.Year, maxYears))
}

func (r *refRules) ambition(k *KPI, m *Metric, pw *Pathway) {
	if len(k.Targets) == 0 {
		r.fail(RuleAmbition, fmt.Sprintf("核心KPI %s 没有目标值", m.ID),
			fmt.Sprintf("the core KPI %s has no targets", m.ID))
		return
	}
	b, f := k.Baseline.Value, k.Targets[len(k.Targets)-1].Value
	improvement := b.Sub(f)
	if m.Direction == HigherIsBetter {
		improvement = f.Sub(b)
	}
	pct, hundred := pw.MinImprovementPct, decimal.NewFromInt(100)
	ok := improvement.Mul(hundred).GreaterThanOrEqual(pct.Mul(b.Abs())) &&
		(pct.IsZero() || improvement.IsPositive())

	shown := "—"
	if !b.IsZero() {
		shown = improvement.Mul(hundred).DivRound(b.Abs(), 2).StringFixed(2) + "%"
	}
	fq, bq := quantity(f, m.Unit), quantity(b, m.Unit)
	if ok {
		r.pass(RuleAmbition,
			fmt.Sprintf("最终目标 %s 较基准值 %s 改善 %s，不低于技术路径 %s 要求的 %s%%", fq, bq, shown, pw.ID, pct),
			fmt.Sprintf("final target %s improves on the baseline %s by %s, at least the %s%% pathway %s requires", fq, bq, shown, pct, pw.ID))
		return
	}
	r.fail(RuleAmbition,
		fmt.Sprintf("最终目标 %s 较基准值 %s 改善 %s，低于技术路径 %s 要求的 %s%%", fq, bq, shown, pw.ID, pct),
		fmt.Sprintf("final target %s improves on the baseline %s by %s, less than the %s%% pathway %s requires", fq, bq, shown, pct, pw.ID))
}

func (r *refRules) justTransition(ind *Industry, score *int, minScore int) {
	switch {
	case !ind.JustTransitionRequired:
		r.pass(RuleJustTransition,
			fmt.Sprintf("行业 %s 不要求公正转型评估", ind.Code),
			fmt.Sprintf("industry %s does not require a just-transition assessment", ind.Code))
	case score == nil:
		r.fail(RuleJustTransition,
			fmt.Sprintf("行业 %s 要求公正转型评分（不低于 %d），但未提供", ind.Code, minScore),
			fmt.Sprintf("industry %s requires a just-transition score of at least %d; none was given", ind.Code, minScore))
	case *score >= minScore:
		r.pass(RuleJustTransition,
			fmt.Sprintf("公正转型评分 %d 不低于最低要求 %d", *score, minScore),
			fmt.Sprintf("just-transition score %d meets the minimum %d", *score, minScore))
	default:
		r.fail(RuleJustTransition,
			fmt.Sprintf("公正转型评分 %d 低于最低要求 %d", *score, minScore),
			fmt.Sprintf("just-transition score %d is below the minimum %d", *score, minScore))
	}
}

func (r *refRules) newCapacity(k *KPI, m *Metric, isNew bool) {
	lvl := quantity(m.BenchmarkLevel, m.Unit)
	if !isNew {
		r.pass(RuleNewCapacity, "借款人未申报新建或扩建产能，不适用标杆水平要求",
			"the borrower declares no new or expanded capacity, so the benchmark-level requirement does not apply")
		return
	}
	if len(k.Targets) == 0 {
		r.fail(RuleNewCapacity, fmt.Sprintf("核心KPI %s 没有目标值", m.ID),
			fmt.Sprintf("the core KPI %s has no targets", m.ID))
		return
	}
	first := k.Targets[0]
	v := quantity(first.Value, m.Unit)
	if m.Direction.AtOrBetter(first.Value, m.BenchmarkLevel) {
		r.pass(RuleNewCapacity,
			fmt.Sprintf("新建或扩建项目：首个目标 %s（%d年）达到或优于标杆水平 %s", v, first.Year, lvl),
			fmt.Sprintf("new or expanded capacity: the first target %s (%d) is at or better than the benchmark level %s", v, first.Year, lvl))
		return
	}
	r.fail(RuleNewCapacity,
		fmt.Sprintf("新建或扩建项目应达到标杆水平：首个目标 %s（%d年）未达到标杆水平 %s", v, first.Year, lvl),
		fmt.Sprintf("new or expanded capacity must be built to the benchmark level: the first target %s (%d) is worse than the benchmark level %s", v, first.Year, lvl))
}
