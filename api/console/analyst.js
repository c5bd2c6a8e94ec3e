// The analyst's scenario builder on a quote: an outcome grid (KPI × year),
// an LPR path, a report lag and Monte Carlo settings; charts of the rate
// paths, the total-interest percentiles and each SPT's probability; CSV.
import { call, post } from './api.js';
import { button, download, field, h, input, section, select, table, DATE } from './dom.js';
import * as fmt from './format.js';
import { t } from './i18n.js';
import { en, zh } from './messages.js';
import { bars, ratePaths } from './charts.js';
import { newState, quoteForm } from './quoteform.js';
import { quoteRequest, scenarios, withBOM } from './request.js';

const state = newState();
const sim = { grid: {}, lpr_path: [{ effective_date: '', one_year: '', five_year: '' }], report_lag_days: '', monte_carlo: { runs: '1000', seed: '7', kpis: {} } };
let last = null;

const NAME_KEYS = { grid: 'sim.grid', all_met: 'proj.all_met', none_met: 'proj.none_met', monte_carlo: 'sim.mc' };
const names = () => Object.fromEntries(Object.entries(NAME_KEYS).map(([k, key]) => [k, t(key)]));

// scenarioName shows a scenario this page named in the current language,
// whichever language it was run in.
function scenarioName(name) {
  for (const key of Object.values(NAME_KEYS)) if (name === zh[key] || name === en[key]) return t(key);
  return name;
}
const body = () => ({ quote: quoteRequest(state), scenarios: scenarios(sim, names()) });

function gridEditor() {
  const years = [];
  for (const k of state.kpis) {
    sim.grid[k.metric_id] ||= {};
    for (const tg of k.targets) if (String(tg.year).trim()) years.push([k.metric_id, String(tg.year).trim()]);
  }
  if (!years.length) return h('p', { class: 'hint', text: t('sim.grid_empty') });
  return table('sim.grid', ['loan.metric', 'loan.year', 'sim.assumed'], years.map(([m, y]) => {
    const sel = select([['', t('outcome.pending')], ['met', t('outcome.met')], ['missed', t('outcome.missed')], ['not_reported', t('outcome.not_reported')]],
      { name: `grid-${m}-${y}`, 'aria-label': `${t('sim.assumed')} ${m} ${y}` });
    sel.value = sim.grid[m][y] || '';
    sel.addEventListener('change', () => { sim.grid[m][y] = sel.value; });
    return [m, y, sel];
  }));
}

function mcEditor() {
  const mc = sim.monte_carlo;
  const bind = (obj, k, attrs) => input({ ...attrs, value: obj[k] ?? '', oninput: (ev) => { obj[k] = ev.target.value; } });
  return h('div', {},
    h('div', { class: 'grid' }, field('sim.runs', bind(mc, 'runs', { name: 'mc-runs', inputmode: 'numeric' }), t('sim.runs_hint')), field('sim.seed', bind(mc, 'seed', { name: 'mc-seed', inputmode: 'numeric' }))),
    state.kpis.map((k) => {
      mc.kpis[k.metric_id] ||= { mean: '-5', sd: '3' };
      const v = mc.kpis[k.metric_id];
      return h('fieldset', {}, h('legend', {}, `${t('kpi.metric')} `, h('code', { text: k.metric_id })), h('div', { class: 'grid' },
        field('sim.mean_pct', bind(v, 'mean', { name: `mc-${k.metric_id}-mean`, inputmode: 'decimal' }), t('sim.mean_hint')),
        field('sim.sd', bind(v, 'sd', { name: `mc-${k.metric_id}-sd`, inputmode: 'decimal' }))));
    }));
}

function lprEditor(redraw) {
  const bind = (obj, k, attrs) => input({ ...attrs, value: obj[k] ?? '', oninput: (ev) => { obj[k] = ev.target.value; } });
  return h('div', {}, sim.lpr_path.map((p, i) => h('div', { class: 'grid' },
    field('lpr.effective_date', bind(p, 'effective_date', { ...DATE, name: `lpr-${i}-date` })),
    field('lpr.one_year', bind(p, 'one_year', { name: `lpr-${i}-1y`, inputmode: 'decimal' })),
    field('lpr.five_year', bind(p, 'five_year', { name: `lpr-${i}-5y`, inputmode: 'decimal' })))),
  button('sim.add_fixing', () => { sim.lpr_path.push({ effective_date: '', one_year: '', five_year: '' }); redraw(); }));
}

function results() {
  const det = last.scenarios.filter((s) => s.kind === 'deterministic');
  const mc = last.scenarios.filter((s) => s.kind === 'monte_carlo');
  return [
    section('sim.results',
      table('sim.results', ['sim.scenario', 'sched.total_interest', 'sched.total_subsidy', 'sched.net_interest', 'sim.difference'],
        det.map((s) => [scenarioName(s.name), fmt.money(s.total_interest), fmt.money(s.total_subsidy), fmt.money(s.net_interest), fmt.money(s.difference_vs_baseline)]), [1, 2, 3, 4]),
      ratePaths('chart.scenarios', det.map((s) => ({ name: scenarioName(s.name), lines: s.schedule })))),
    ...mc.map((s) => {
      const probs = [];
      for (const [m, years] of Object.entries(s.spt_met_probability)) for (const [y, p] of Object.entries(years)) probs.push([`${m} ${y}`, p]);
      const st = s.total_interest;
      return section('sim.mc',
        h('p', { id: 'mc-summary', text: t('sim.mc_summary', { runs: s.runs, seed: s.seed, share: fmt.share(s.all_met_share) }) }),
        table('sim.mc_stats', ['sim.stat', 'sched.total_interest', 'sim.last_rate'],
          ['mean', 'p5', 'p50', 'p95'].map((k) => [t(`sim.${k}`), fmt.money(st[k]), fmt.rate(s.last_rate[k])]), [1, 2]),
        h('div', { class: 'charts' },
          bars('chart.mc_interest', ['p5', 'p50', 'mean', 'p95'].map((k) => t(`sim.${k}`)), ['p5', 'p50', 'mean', 'p95'].map((k) => st[k]), t('sched.total_interest')),
          bars('chart.mc_prob', probs.map((p) => p[0]), probs.map((p) => p[1]), t('sim.probability'))),
        table('chart.mc_prob', ['sim.spt', 'sim.probability'], probs.map(([k, p]) => [k, fmt.share(p)]), [1]));
    }),
  ];
}

export function render(ctx) {
  const out = h('div', { id: 'sim-result', 'aria-live': 'polite' });
  const builder = h('div', {});
  const drawBuilder = () => builder.replaceChildren(
    h('fieldset', {}, h('legend', { text: t('sim.grid') }), gridEditor()),
    h('fieldset', {}, h('legend', { text: t('sim.lpr_path') }), lprEditor(drawBuilder)),
    h('fieldset', {}, h('legend', { text: t('sim.lag') }), h('div', { class: 'grid' },
      field('sim.lag', input({ name: 'report_lag_days', inputmode: 'numeric', value: sim.report_lag_days, oninput: (ev) => { sim.report_lag_days = ev.target.value; } }), t('sim.lag_hint')))),
    h('fieldset', {}, h('legend', { text: t('sim.mc') }), mcEditor()));
  drawBuilder();
  const run = async (ev) => {
    ev.preventDefault();
    out.replaceChildren(h('p', { class: 'loading', text: t('form.working') }));
    try {
      last = await post('/v1/simulations', body());
      out.replaceChildren(...results());
    } catch (err) { out.replaceChildren(ctx.errorBox(err)); }
  };
  const csv = async () => {
    try {
      const res = await call('POST', '/v1/simulations?format=csv', body(), { raw: true, accept: 'text/csv' });
      download('simulation.csv', withBOM(await res.text()), 'text/csv;charset=utf-8');
    } catch (err) { out.replaceChildren(ctx.errorBox(err)); }
  };
  if (last) out.replaceChildren(...results());
  return h('div', {},
    section('sim.title', h('p', { text: t('sim.intro') }),
      h('form', { novalidate: true, onsubmit: run },
        h('details', { open: true, onchange: () => drawBuilder() }, h('summary', { text: t('sim.quote') }), quoteForm(state, ctx.errorBox)),
        builder,
        h('div', { class: 'buttons' },
          h('button', { type: 'submit', id: 'simulate', class: 'primary', text: t('sim.run') }),
          button('sim.csv', csv, { id: 'csv' })))),
    out);
}
