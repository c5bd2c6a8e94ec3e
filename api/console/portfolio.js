// The book as a whole (issue 17): GET /v1/portfolio — loans and principal
// by industry (chart), weighted rate and ratchet, projected interest under
// the three projections (chart), KPI status per year, SPT deadlines,
// financed emissions; for the analyst a portfolio simulation's income
// distribution (chart); for the auditor the disclosure exports.
import { call, get, post, qs } from './api.js';
import { button, download, field, h, input, section, table } from './dom.js';
import * as fmt from './format.js';
import { t } from './i18n.js';
import { bars } from './charts.js';
import { definitions } from './results.js';

const opts = { due_within_days: '90', p: '0.6', rho: '0.3', runs: '1000' };
let lastSim = null; // the last simulation's response, drawn again after a language switch

function book(p) {
  const inc = p.projected_interest;
  return [
    section('pf.summary', definitions([
      ['pf.as_of', fmt.date(p.as_of)], ['pf.loans', h('span', { id: 'pf-loans', text: String(p.loans) })],
      ['pf.matured', String(p.matured_loans)], ['pf.outstanding', h('span', { id: 'pf-outstanding', text: fmt.money(p.outstanding) })],
      ['pf.rate', h('span', { id: 'pf-rate', text: fmt.rate(p.weighted_all_in_rate) })], ['pf.ratchet', fmt.bp(p.weighted_ratchet_adjustment_bp)]]),
    h('p', { class: 'hint data', lang: 'en', text: p.rounding })),
    section('pf.by_industry',
      bars('pf.by_industry', p.by_industry.map((g) => g.key), p.by_industry.map((g) => g.outstanding), t('pf.outstanding')),
      table('pf.by_industry', ['pf.key', 'pf.loans', 'pf.outstanding'], p.by_industry.map((g) => [g.key, String(g.loans), fmt.money(g.outstanding)]), [1, 2])),
    section('pf.income',
      bars('pf.income', ['current', 'all_met', 'none_met'].map((k) => t(`proj.${k}`)), ['current', 'all_met', 'none_met'].map((k) => inc[k].to_maturity), t('pf.to_maturity')),
      table('pf.income', ['pf.projection', 'pf.next_12', 'pf.to_maturity'],
        ['current', 'all_met', 'none_met'].map((k) => [t(`proj.${k}`), fmt.money(inc[k].next_12_months), fmt.money(inc[k].to_maturity)]), [1, 2])),
    section('pf.kpis', table('pf.kpis', ['loan.year', 'outcome.met', 'outcome.missed', 'outcome.pending', 'outcome.not_reported', 'pf.late', 'pf.corrected'],
      p.kpi_status.map((y) => [String(y.year), String(y.met), String(y.missed), String(y.pending), String(y.not_reported), String(y.late), String(y.corrected)]), [1, 2, 3, 4, 5, 6])),
    section('pf.deadlines', p.deadlines.length
      ? table('pf.deadlines', ['pf.due', 'loan.metric', 'loan.year', 'pf.loan_ids'], p.deadlines.map((d) => [fmt.date(d.due_date), d.metric_id, String(d.year), d.loan_ids.join(', ')]))
      : h('p', { text: t('pf.no_deadlines') })),
    section('pf.emissions', h('p', { text: t('pf.emissions_intro', { year: p.financed_emissions.year }) }),
      table('pf.emissions', ['pf.key', 'pf.loans', 'pf.missing', 'pf.attributed', 'pf.intensity', 'pf.quality'],
        [['*', p.financed_emissions.book], ...p.financed_emissions.by_industry.map((g) => [g.industry_code, g])].map(([k, g]) =>
          [k === '*' ? t('pf.whole_book') : k, String(g.loans), String(g.loans_missing_data), g.attributed_tco2e, g.tco2e_per_10k_cny, g.pcaf_data_quality]), [1, 2, 3, 4, 5])),
  ];
}

function simulation(ctx) {
  const out = h('div', { id: 'pf-sim', 'aria-live': 'polite' });
  const bind = (k, attrs) => { const el = input({ name: `pf-${k}`, id: `pf-${k}`, inputmode: 'decimal', ...attrs }); el.value = opts[k]; el.addEventListener('change', () => { opts[k] = el.value.trim(); }); return el; };
  const show = (res) => {
    const s = res.scenarios[0];
    const st = s.interest_income;
    out.replaceChildren(
      bars('pf.distribution', ['p5', 'p50', 'mean', 'p95'], [st.p5, st.p50, st.mean, st.p95], t('pf.to_maturity')),
      definitions([['pf.step_down', fmt.money(s.expected_step_down_cost)], ['pf.step_up', fmt.money(s.expected_step_up_income)],
        ['pf.mean', h('span', { id: 'pf-sim-mean', text: fmt.money(st.mean) })]]));
  };
  const run = async () => {
    out.replaceChildren(h('p', { class: 'loading', text: t('form.loading') }));
    try {
      lastSim = await post('/v1/portfolio/simulations', { runs: Number(opts.runs), seed: 17,
        scenarios: [{ name: 'base', default_probability: opts.p, default_correlation: opts.rho }] });
      show(lastSim);
    } catch (err) { out.replaceChildren(ctx.errorBox(err)); }
  };
  if (lastSim) show(lastSim);
  return section('pf.simulation', h('p', { class: 'hint', text: t('pf.sim_intro') }),
    h('div', { class: 'grid' }, field('pf.p', bind('p')), field('pf.rho', bind('rho')), field('pf.runs', bind('runs', { inputmode: 'numeric' }))),
    h('div', { class: 'buttons' }, button('pf.run', run, { id: 'pf-run' })), out);
}

function exports(ctx) {
  const out = h('div', { 'aria-live': 'polite' });
  const save = (format, type) => async () => {
    try {
      const res = await call('GET', `/v1/portfolio/export${qs({ format })}`, undefined, { raw: true, accept: type });
      const name = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') || '')?.[1] || `portfolio.${format}`;
      download(name, await res.blob());
      out.replaceChildren(h('p', { id: 'pf-exported', text: t('pf.exported', { name }) }));
    } catch (err) { out.replaceChildren(ctx.errorBox(err)); }
  };
  return section('pf.export', h('div', { class: 'buttons' },
    button('pf.csv', save('csv', 'text/csv'), { id: 'pf-csv' }),
    button('pf.xlsx', save('xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'), { id: 'pf-xlsx' })), out);
}

export function render(ctx) {
  const out = h('div', { 'aria-live': 'polite' }, h('p', { class: 'loading', text: t('form.loading') }));
  const load = async () => {
    try {
      const p = await get(`/v1/portfolio${qs({ due_within_days: opts.due_within_days })}`);
      out.replaceChildren(...book(p));
    } catch (err) { out.replaceChildren(ctx.errorBox(err)); }
  };
  const days = input({ name: 'due_within_days', id: 'pf-days', inputmode: 'numeric' });
  days.value = opts.due_within_days;
  days.addEventListener('change', () => { opts.due_within_days = days.value.trim(); load(); });
  load();
  return h('div', {},
    section('pf.title', h('p', { class: 'hint', text: t('pf.intro') }), field('pf.days', days)),
    out,
    ctx.role === 'analyst' ? simulation(ctx) : null,
    ctx.role === 'auditor' ? exports(ctx) : null);
}
