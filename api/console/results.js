// Rendering of API results shared by several pages: eligibility rules, the
// rate breakdown, projections, schedules and KPI statuses.
import { h, table } from './dom.js';
import * as fmt from './format.js';
import { lang, t } from './i18n.js';
import { ratePaths } from './charts.js';

// checks lists the rules one by one, whatever rules the server sends.
export function checks(assessment) {
  if (!assessment) return null;
  return h('div', { class: 'checks' },
    h('p', { id: 'eligible', class: assessment.eligible ? 'ok' : 'bad', text: assessment.eligible ? t('elig.eligible', { tier: t(`tier.${assessment.tier}`) }) : t('elig.ineligible') }),
    h('ol', { id: 'rules' }, (assessment.checks || []).map((c) => h('li', { class: `rule ${c.status}`, 'data-rule': c.rule },
      h('span', { class: `badge ${c.status}`, text: t(`status.${c.status}`) }), ' ',
      h('strong', { text: t(`rule.${c.rule}`, {}, c.rule) }), ' — ',
      h('span', { class: 'data', lang: lang() === 'zh' ? 'zh-CN' : 'en', text: lang() === 'zh' ? c.message_zh : c.message_en })))));
}

// breakdown explains every bp of the all-in rate.
export function breakdown(quote, request) {
  const r = quote.rate;
  const b = request?.borrower || {};
  const subsidy = request?.facility?.subsidy;
  const rows = [
    [t('rate.benchmark'), `${r.benchmark.name} ${fmt.date(r.benchmark.effective_date)}`, fmt.rate(r.benchmark.rate)],
    [t('rate.spread'), t('rate.spread_why', { rating: b.credit_rating || '' }), fmt.bp(r.credit_spread_bp)],
    [t('rate.tier'), t(`tier.${quote.eligibility.tier}`), fmt.bp(r.tier_adjustment_bp)],
    [t('rate.esg'), t('rate.esg_why', { score: b.esg_score ?? '' }), fmt.bp(r.esg_adjustment_bp)],
    [t('rate.carbon'), b.carbon_efficiency_grade ? t('rate.carbon_why', { g: b.carbon_efficiency_grade }) : t('rate.carbon_none'), fmt.bp(r.carbon_adjustment_bp)],
    [t('rate.ratchet'), t('rate.ratchet_why'), fmt.bp(r.ratchet_adjustment_bp)],
    [t('rate.total_adj'), t('rate.total_adj_why'), fmt.bp(r.total_adjustment_bp)],
    [t('rate.floor'), r.floor_applied ? t('yes') : t('no'), ''],
    [t('rate.cap'), r.cap_applied ? t('yes') : t('no'), ''],
    [t('rate.subsidy'), subsidy ? t('rate.subsidy_why', { end: subsidy.end_date }) : t('form.none'), subsidy ? fmt.bp(subsidy.rate_bp) : ''],
    [h('strong', { text: t('rate.all_in') }), t('rate.formula'), h('strong', { id: 'all-in-rate', text: fmt.rate(r.all_in_rate) })],
  ];
  return table('rate.title', ['rate.component', 'rate.explanation', 'rate.value'], rows, [2]);
}

// projections compares the three projections' totals.
export function projections(quote) {
  const p = quote.projections;
  const row = (k, id) => [t(`proj.${k}`), h('span', { id: id ? `${id}-interest` : null, text: fmt.money(p[k].total_interest) }), fmt.money(p[k].total_subsidy), fmt.money(p[k].net_interest)];
  return h('div', {},
    table('proj.title', ['proj.name', 'sched.total_interest', 'sched.total_subsidy', 'sched.net_interest'],
      [row('current', 'total'), row('all_met'), row('none_met')], [1, 2, 3]),
    h('p', { text: `${t('proj.savings')}: ${fmt.money(quote.savings_all_met_vs_none_met)}` }),
    ratePaths('chart.projections', ['current', 'all_met', 'none_met'].map((k) => ({ name: t(`proj.${k}`), lines: p[k].schedule }))));
}

// schedule is the table of payment periods.
export function schedule(lines, captionKey = 'sched.title') {
  return table(captionKey,
    ['sched.period', 'sched.start', 'sched.end', 'sched.days', 'sched.benchmark', 'sched.adjustment', 'sched.rate', 'sched.opening', 'sched.principal', 'sched.interest', 'sched.subsidy', 'sched.net'],
    lines.map((l) => [String(l.period), fmt.date(l.start), fmt.date(l.end), String(l.days), fmt.rate(l.benchmark_rate), fmt.bp(l.adjustment_bp), fmt.rate(l.rate),
      fmt.money(l.opening_principal), fmt.money(l.principal), fmt.money(l.interest), fmt.money(l.subsidy), fmt.money(l.net_interest)]),
    [0, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
}

// totals of a loan schedule.
export function totals(s) {
  return h('dl', { class: 'totals' },
    h('dt', { text: t('sched.total_interest') }), h('dd', { id: 'sched-total-interest', text: fmt.money(s.total_interest) }),
    h('dt', { text: t('sched.total_subsidy') }), h('dd', { text: fmt.money(s.total_subsidy) }),
    h('dt', { text: t('sched.net_interest') }), h('dd', { text: fmt.money(s.net_interest) }));
}

// definitions renders label/value pairs.
export function definitions(pairs) {
  return h('dl', { class: 'defs' }, pairs.flatMap(([k, v]) => [h('dt', { text: t(k) }), h('dd', {}, v)]));
}
