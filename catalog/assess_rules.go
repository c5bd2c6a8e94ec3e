package catalog

import (
	"strconv"

	"github.com/shopspring/decimal"
)

// reachesLevel: the core KPI's final (last) target is at or better than the
// metric's baseline level (基准水平).
func (r *rules) reachesLevel(k *KPI, m *Metric) {
	if len(k.Targets) == 0 {
		r.fail(RuleReachesBaselineLevel, "核心KPI "+m.ID+" 没有目标值",
			"the core KPI "+m.ID+" has no targets")
		return
	}
	final := k.Targets[len(k.Targets)-1]
	f, lvl := quantity(final.Value, m.Unit), quantity(m.BaselineLevel, m.Unit)
	year := strconv.Itoa(final.Year)
	if m.Direction.AtOrBetter(final.Value, m.BaselineLevel) {
		r.pass(RuleReachesBaselineLevel,
			"最终目标 "+f+"（"+year+"年）达到或优于基准水平 "+lvl,
			"final target "+f+" ("+year+") is at or better than the baseline level "+lvl)
		return
	}
	r.fail(RuleReachesBaselineLevel,
		"最终目标 "+f+"（"+year+"年）未达到基准水平 "+lvl,
		"final target "+f+" ("+year+") is worse than the baseline level "+lvl)
}

// reachesInTime: the first target, in the plan's order, that is at or better
// than the baseline level falls no later than the baseline year plus the
// catalogue's max_years_to_baseline_level.
func (r *rules) reachesInTime(k *KPI, m *Metric, maxYears int) {
	deadline := k.Baseline.Year + maxYears
	lvl := quantity(m.BaselineLevel, m.Unit)
	due, base, maxY := strconv.Itoa(deadline), strconv.Itoa(k.Baseline.Year), strconv.Itoa(maxYears)
	for _, t := range k.Targets {
		if !m.Direction.AtOrBetter(t.Value, m.BaselineLevel) {
			continue
		}
		v, year := quantity(t.Value, m.Unit), strconv.Itoa(t.Year)
		if t.Year <= deadline {
			r.pass(RuleReachesBaselineInTime,
				year+"年目标 "+v+" 首次达到基准水平 "+lvl+"，不晚于基准年 "+base+" 后 "+maxY+" 年（"+due+"年）",
				"the "+year+" target "+v+" is the first at or better than the baseline level "+lvl+", within "+maxY+" years of the baseline year "+base+" (by "+due+")")
			return
		}
		r.fail(RuleReachesBaselineInTime,
			"首次达到基准水平 "+lvl+" 的目标为 "+year+"年（"+v+"），晚于基准年 "+base+" 后 "+maxY+" 年（"+due+"年）",
			"the first target at or better than the baseline level "+lvl+" is in "+year+" ("+v+"), later than "+due+" (baseline year "+base+" + "+maxY+" years)")
		return
	}
	r.fail(RuleReachesBaselineInTime,
		"没有目标达到基准水平 "+lvl+"（应不晚于 "+due+"年）",
		"no target reaches the baseline level "+lvl+" (due by "+due+", baseline year "+base+" + "+maxY+" years)")
}

// ambition: the final target improves on the baseline value by at least the
// pathway's min_improvement_pct of the baseline value. The test is exact,
// by cross-multiplication: improvement·100 ≥ pct·|baseline|. For a positive
// baseline that is (b−f)·100 ≥ pct·b (lower is better) or (f−b)·100 ≥ pct·b
// (higher is better). With a zero baseline any positive pct needs a strict
// improvement, since 0 ≥ 0 would otherwise pass a plan that improves nothing.
// The percentage in the message is rounded to 2 places for display only.
func (r *rules) ambition(k *KPI, m *Metric, pw *Pathway) {
	if len(k.Targets) == 0 {
		r.fail(RuleAmbition, "核心KPI "+m.ID+" 没有目标值",
			"the core KPI "+m.ID+" has no targets")
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
	fq, bq, pctText := quantity(f, m.Unit), quantity(b, m.Unit), decString(pct)
	if ok {
		r.pass(RuleAmbition,
			"最终目标 "+fq+" 较基准值 "+bq+" 改善 "+shown+"，不低于技术路径 "+pw.ID+" 要求的 "+pctText+"%",
			"final target "+fq+" improves on the baseline "+bq+" by "+shown+", at least the "+pctText+"% pathway "+pw.ID+" requires")
		return
	}
	r.fail(RuleAmbition,
		"最终目标 "+fq+" 较基准值 "+bq+" 改善 "+shown+"，低于技术路径 "+pw.ID+" 要求的 "+pctText+"%",
		"final target "+fq+" improves on the baseline "+bq+" by "+shown+", less than the "+pctText+"% pathway "+pw.ID+" requires")
}

// justTransition: where the industry requires it, a just-transition score is
// present and at least the catalogue minimum; otherwise the rule passes.
func (r *rules) justTransition(ind *Industry, score *int, minScore int) {
	switch {
	case !ind.JustTransitionRequired:
		r.pass(RuleJustTransition,
			"行业 "+ind.Code+" 不要求公正转型评估",
			"industry "+ind.Code+" does not require a just-transition assessment")
	case score == nil:
		r.fail(RuleJustTransition,
			"行业 "+ind.Code+" 要求公正转型评分（不低于 "+strconv.Itoa(minScore)+"），但未提供",
			"industry "+ind.Code+" requires a just-transition score of at least "+strconv.Itoa(minScore)+"; none was given")
	case *score >= minScore:
		r.pass(RuleJustTransition,
			"公正转型评分 "+strconv.Itoa(*score)+" 不低于最低要求 "+strconv.Itoa(minScore),
			"just-transition score "+strconv.Itoa(*score)+" meets the minimum "+strconv.Itoa(minScore))
	default:
		r.fail(RuleJustTransition,
			"公正转型评分 "+strconv.Itoa(*score)+" 低于最低要求 "+strconv.Itoa(minScore),
			"just-transition score "+strconv.Itoa(*score)+" is below the minimum "+strconv.Itoa(minScore))
	}
}
