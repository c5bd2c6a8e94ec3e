// The officer's proposals (DESIGN.md §5.1): amend a loan's plan (the
// complete new KPI list, prefilled from the plan in force) or declassify
// it; an approver with another key decides.
import { get, post } from './api.js';
import { DATE, field, h, input, section, select } from './dom.js';
import { t } from './i18n.js';
import { renderHistory } from './approver.js';

const REASONS = ['restatement', 'methodology_change', 'standard_revision', 'structural_change', 'other'];
const GROUNDS = ['misreporting', 'plan_abandoned', 'verifier_withdrawn', 'other'];

// editableKPIs keeps of a plan's KPIs what an amendment states.
export function editableKPIs(kpis) {
  return kpis.map((k) => {
    const out = { metric_id: k.metric_id };
    if (k.custom) Object.assign(out, { name: k.name, unit: k.unit, direction: k.direction });
    out.baseline = k.baseline;
    out.targets = k.targets;
    if (k.step_down_bp != null) out.step_down_bp = k.step_down_bp;
    if (k.step_up_bp != null) out.step_up_bp = k.step_up_bp;
    return out;
  });
}

function form(titleKey, id, controls, submit, out, ctx) {
  return section(titleKey, h('form', { id, novalidate: true, onsubmit: async (ev) => {
    ev.preventDefault();
    try {
      const p = await submit();
      out.replaceChildren(h('p', { class: 'ok', role: 'status', text: t('prop.proposed', { id: p.proposal_id, until: p.expires_on }) }));
    } catch (err) { out.replaceChildren(err instanceof SyntaxError ? h('div', { class: 'error', role: 'alert', text: t('prop.bad_json') }) : ctx.errorBox(err)); }
  } }, controls, h('button', { type: 'submit', class: 'primary', text: t('prop.submit') })), out);
}

export function render(ctx) {
  const loan = input({ name: 'loan-id', id: 'prop-loan', value: ctx.params.loan || '' });
  const effA = input({ ...DATE, name: 'effective_from', id: 'amend-from' });
  const code = select(REASONS.map((r) => [r, r]), { name: 'reason_code', id: 'amend-code' });
  const reasonA = input({ name: 'reason', id: 'amend-reason', maxlength: '2000' });
  const kpis = h('textarea', { name: 'kpis', id: 'amend-kpis', rows: '10', spellcheck: 'false' });
  const loaded = h('div', { 'aria-live': 'polite' });
  const load = async () => {
    try {
      const plans = await get(`/v1/loans/${encodeURIComponent(loan.value.trim())}/plans`);
      kpis.value = JSON.stringify(editableKPIs(plans.versions[plans.versions.length - 1].kpis), null, 2);
      loaded.replaceChildren();
    } catch (err) { loaded.replaceChildren(ctx.errorBox(err)); }
  };
  const outA = h('div', { id: 'amend-result', 'aria-live': 'polite' });
  const effD = input({ ...DATE, name: 'effective_from', id: 'declass-from' });
  const ground = select(GROUNDS.map((g) => [g, g]), { name: 'ground', id: 'declass-ground' });
  const reasonD = input({ name: 'reason', id: 'declass-reason', maxlength: '2000' });
  const outD = h('div', { id: 'declass-result', 'aria-live': 'polite' });
  const path = (what) => `/v1/loans/${encodeURIComponent(loan.value.trim())}/${what}`;
  return h('div', {},
    section('prop.loan_title', field('prop.loan', loan),
      h('button', { type: 'button', id: 'load-plan', onclick: load, text: t('prop.load_plan') }), loaded),
    form('prop.amend', 'amend-form', [field('prop.effective_from', effA), field('prop.reason_code', code),
      field('prop.reason', reasonA), field('prop.kpis', kpis, t('prop.kpis_hint'))],
    () => post(path('amendments'), { effective_from: effA.value.trim(), reason_code: code.value, reason: reasonA.value.trim(),
      kpis: JSON.parse(kpis.value) }), outA, ctx),
    form('prop.declassify', 'declass-form', [field('prop.effective_from', effD), field('prop.ground', ground),
      field('prop.reason', reasonD), h('p', { class: 'hint', text: t('prop.declass_rule') })],
    () => post(path('declassification'), { effective_from: effD.value.trim(), ground: ground.value, reason: reasonD.value.trim() }),
    outD, ctx),
    renderHistory(ctx));
}
