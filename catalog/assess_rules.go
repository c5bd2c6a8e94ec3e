package catalog

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// reachesLevel: the core KPI's final (last) target is at or better than the
// metric's baseline level (基准水平).
func (r *rules) reachesLevel(k *KPI, m *Metric) {
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

// reachesInTime: the first target, in the plan's order, that is at or better
// than the baseline level falls no later than the baseline year plus the
// catalogue's max_years_to_baseline_level.
func (r *rules) reachesInTime(k *KPI, m *Metric, maxYears int) {
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

// ambition: the final target improves on the baseline value by at least the
// pathway's min_improvement_pct of the baseline value. The test is exact,
// by cross-multiplication: improvement·100 ≥ pct·|baseline|. For a positive
// baseline that is (b−f)·100 ≥ pct·b (lower is better) or (f−b)·100 ≥ pct·b
// (higher is better). With a zero baseline any positive pct needs a strict
// improvement, since 0 ≥ 0 would otherwise pass a plan that improves nothing.
// The percentage in the message is rounded to 2 places for display only.
func (r *rules) ambition(k *KPI, m *Metric, pw *Pathway) {
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

// justTransition: where the industry requires it, a just-transition score is
// present and at least the catalogue minimum; otherwise the rule passes.
func (r *rules) justTransition(ind *Industry, score *int, minScore int) {
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
