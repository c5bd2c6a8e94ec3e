// The guided quote form shared by the officer and the analyst: industry
// from the catalogue tree, then pathway, then the pathway's metrics with
// their unit, direction, baseline (基准) and benchmark (标杆) levels as hints.
import { get } from './api.js';
import { button, field, h, input, select, DATE } from './dom.js';
import { lang, t } from './i18n.js';
import { BORROWER_FLAGS } from './request.js';
import { validate } from './uscc.js';

export function newState() {
  return {
    borrower: { name: '', uscc: '', industry_code: '', credit_rating: 'AA', esg_score: '', just_transition_score: '', carbon_efficiency_grade: '' },
    industry: '', pathway_id: '', kpis: [],
    facility: { amount: '', start_date: '', tenor_months: '36', repayment: 'equal_principal', payment_frequency: 'quarterly', subsidy_rate_bp: '', subsidy_end_date: '' },
  };
}

let catalogue; // GET /v1/catalogue, once per page load
const industries = new Map(); // code → GET /v1/catalogue/industries/{code}

const nameOf = (o) => (o ? (lang() === 'zh' ? o.name_zh : o.name_en || o.name_zh) : '');

// bound makes an input whose value lives in obj[key].
function bound(obj, key, attrs, onInput) {
  return input({ ...attrs, value: obj[key] ?? '', oninput: (ev) => { obj[key] = ev.target.value; onInput?.(ev.target.value); } });
}

function boundSelect(obj, key, options, attrs, onChange) {
  const el = select(options, attrs);
  el.value = obj[key] ?? '';
  el.addEventListener('change', () => { obj[key] = el.value; onChange?.(el.value); });
  return el;
}

// depth of an industry code in the tree: C28 → 0, C2822 → 1 under C28.
function treeOptions(list) {
  const sorted = [...list].sort((a, b) => a.code.localeCompare(b.code));
  return sorted.map((i) => {
    const parents = sorted.filter((p) => p.code !== i.code && i.code.startsWith(p.code)).length;
    return [i.code, `${'\u00a0\u00a0'.repeat(parents)}${parents ? '└ ' : ''}${i.code} ${nameOf(i)}`];
  });
}

function usccStatus(v) {
  const e = validate(v);
  if (!v) return ['', ''];
  if (!e) return ['ok', t('uscc.ok')];
  return ['bad', t(`uscc.${e.code}`, { n: e.length ?? '', p: e.position ?? '', c: e.expected ?? '' })];
}

function metricHint(m) {
  if (!m) return '';
  return [`${t('kpi.unit')} ${m.unit} · ${t(`dir.${m.direction}`)} · ${t('kpi.baseline_level')} ${m.baseline_level} · ${t('kpi.benchmark_level')} ${m.benchmark_level} · ${t('kpi.source')} `,
    h('span', { class: 'data', text: m.source }), m.illustrative ? ` · ${t('kpi.illustrative')}` : ''];
}

function emptyKPI(metricId) {
  return { metric_id: metricId, baseline_year: '', baseline_value: '', targets: [{ year: '', value: '' }, { year: '', value: '' }, { year: '', value: '' }] };
}

// quoteForm renders the form for state; withFacility adds the facility
// fields (eligibility alone needs none).
export function quoteForm(state, errorBox) {
  const root = h('div', { class: 'quote-form' });
  const draw = () => root.replaceChildren(...parts());
  const load = async () => {
    try {
      catalogue ||= await get('/v1/catalogue');
      if (state.industry && !industries.has(state.industry)) industries.set(state.industry, await get(`/v1/catalogue/industries/${encodeURIComponent(state.industry)}`));
      draw();
    } catch (err) { root.replaceChildren(errorBox(err)); }
  };

  function parts() {
    const b = state.borrower;
    const ind = industries.get(state.industry);
    const usccOut = h('output', { class: 'live', 'aria-live': 'polite', id: 'uscc-status' });
    const showUSCC = (v) => { const [cls, msg] = usccStatus(v); usccOut.className = `live ${cls}`; usccOut.textContent = msg; usccEl.setAttribute('aria-invalid', cls === 'bad' ? 'true' : 'false'); };
    const usccEl = bound(b, 'uscc', { name: 'uscc', maxlength: '18', spellcheck: 'false', class: 'mono' }, showUSCC);
    showUSCC(b.uscc);
    const industrySel = boundSelect(state, 'industry', [['', t('form.choose')], ...treeOptions(catalogue?.industries || [])], { name: 'industry', required: true }, async (code) => {
      state.pathway_id = ''; state.kpis = [];
      if (!b.industry_code || !b.industry_code.startsWith(code)) b.industry_code = code;
      await load();
    });
    const pathwayOpts = (ind?.pathways || []).map((p) => [p.id, `${p.id} ${nameOf(p)}`]);
    const pathwaySel = boundSelect(state, 'pathway_id', [['', t('form.choose')], ...pathwayOpts], { name: 'pathway_id', required: true, disabled: !ind }, (id) => {
      const p = ind.pathways.find((x) => x.id === id);
      state.kpis = p ? [emptyKPI(p.metrics[0])] : [];
      draw();
    });
    const pathway = ind?.pathways.find((p) => p.id === state.pathway_id);
    const metrics = new Map([...(ind?.metrics || []), ...(catalogue?.metrics || [])].map((m) => [m.id, m]));

    const borrowerSet = h('fieldset', {}, h('legend', { text: t('form.borrower') }),
      h('div', { class: 'grid' },
        field('borrower.name', bound(b, 'name', { name: 'name' })),
        h('div', { class: 'field' }, h('label', { for: usccEl.id = 'uscc', text: t('borrower.uscc') }), usccEl, usccOut),
        field('borrower.industry', industrySel),
        field('borrower.industry_code', bound(b, 'industry_code', { name: 'industry_code', class: 'mono' }), t('borrower.industry_code_hint')),
        field('borrower.credit_rating', boundSelect(b, 'credit_rating', ['AAA', 'AA+', 'AA', 'AA-', 'A+', 'A', 'A-', 'BBB+', 'BBB'].map((r) => [r, r]), { name: 'credit_rating' })),
        field('borrower.esg_score', bound(b, 'esg_score', { name: 'esg_score', inputmode: 'numeric' }), '0–100'),
        field('borrower.just_transition_score', bound(b, 'just_transition_score', { name: 'just_transition_score', inputmode: 'numeric' }), ind?.just_transition_required ? t('borrower.jt_required', { n: catalogue?.min_just_transition_score ?? '' }) : t('form.optional')),
        field('borrower.carbon_grade', boundSelect(b, 'carbon_efficiency_grade', [['', t('form.none')], ['1', '1'], ['2', '2'], ['3', '3'], ['4', '4'], ['5', '5']], { name: 'carbon_efficiency_grade' }), t('borrower.carbon_grade_hint')),
        BORROWER_FLAGS.map((f) => h('div', { class: 'field check' },
          h('input', { type: 'checkbox', id: `flag-${f}`, name: f, checked: b[f] === true, onchange: (ev) => { b[f] = ev.target.checked; } }),
          h('label', { for: `flag-${f}`, text: t(`flag.${f}`) })))));

    const planSet = h('fieldset', {}, h('legend', { text: t('form.plan') }),
      h('div', { class: 'grid' }, field('form.pathway', pathwaySel, pathway ? `${t('pathway.kind')}: ${t(`kind.${pathway.kind}`)} · ${t('pathway.min_improvement')} ${pathway.min_improvement_pct}%` : '')),
      state.kpis.map((k, i) => kpiBlock(k, i, pathway, metrics)),
      pathway && state.kpis.length < pathway.metrics.length ? button('kpi.add', () => { state.kpis.push(emptyKPI(pathway.metrics.find((m) => !state.kpis.some((x) => x.metric_id === m)))); draw(); }) : null);

    const f = state.facility;
    const facilitySet = h('fieldset', {}, h('legend', { text: t('form.facility') }),
      h('div', { class: 'grid' },
        field('facility.amount', bound(f, 'amount', { name: 'amount', inputmode: 'decimal' }), t('facility.amount_hint')),
        field('facility.start_date', bound(f, 'start_date', { name: 'start_date', ...DATE })),
        field('facility.tenor_months', bound(f, 'tenor_months', { name: 'tenor_months', inputmode: 'numeric' })),
        field('facility.repayment', boundSelect(f, 'repayment', [['equal_principal', t('repayment.equal_principal')], ['bullet', t('repayment.bullet')]], { name: 'repayment' })),
        field('facility.frequency', boundSelect(f, 'payment_frequency', ['monthly', 'quarterly', 'semiannual', 'annual'].map((x) => [x, t(`freq.${x}`)]), { name: 'payment_frequency' })),
        field('facility.subsidy_bp', bound(f, 'subsidy_rate_bp', { name: 'subsidy_rate_bp', inputmode: 'decimal' }), t('form.optional')),
        field('facility.subsidy_end', bound(f, 'subsidy_end_date', { name: 'subsidy_end_date', ...DATE }), t('form.optional'))));
    return [borrowerSet, planSet, facilitySet];
  }

  function kpiBlock(k, i, pathway, metrics) {
    const m = metrics.get(k.metric_id);
    const opts = (pathway?.metrics || []).map((id) => [id, `${nameOf(metrics.get(id)) || id}`]);
    const sel = boundSelect(k, 'metric_id', opts, { name: `kpi-${i}-metric` }, () => draw());
    return h('fieldset', { class: 'kpi' }, h('legend', { text: `${t('kpi.title')} ${i + 1}` }),
      h('div', { class: 'grid' },
        field('kpi.metric', sel, metricHint(m)),
        field('kpi.baseline_year', bound(k, 'baseline_year', { name: `kpi-${i}-baseline-year`, inputmode: 'numeric' })),
        field('kpi.baseline_value', bound(k, 'baseline_value', { name: `kpi-${i}-baseline-value`, inputmode: 'decimal' }), m ? `${t('kpi.unit')} ${m.unit}` : '')),
      h('div', { class: 'targets' }, k.targets.map((tg, j) => h('div', { class: 'grid target' },
        field('kpi.target_year', bound(tg, 'year', { name: `kpi-${i}-target-${j}-year`, inputmode: 'numeric' })),
        field('kpi.target_value', bound(tg, 'value', { name: `kpi-${i}-target-${j}-value`, inputmode: 'decimal' }), m ? `${t('kpi.unit')} ${m.unit} · ${t(`dir.${m.direction}`)}` : ''),
        button('kpi.remove_target', () => { k.targets.splice(j, 1); draw(); }, { class: 'link', 'aria-label': `${t('kpi.remove_target')} ${j + 1}` })))),
      button('kpi.add_target', () => { k.targets.push({ year: '', value: '' }); draw(); }),
      i > 0 ? button('kpi.remove', () => { state.kpis.splice(i, 1); draw(); }) : null);
  }

  root.append(h('p', { class: 'loading', text: t('form.loading') }));
  load();
  return root;
}

// industryName resolves an industry's display name once the catalogue is loaded.
export function industryName(code) {
  return nameOf(catalogue?.industries.find((i) => i.code === code));
}
