// The verifier's attestation form. The evidence file's SHA-256 is computed
// here with WebCrypto; the file itself never leaves the browser.
import { get, post } from './api.js';
import { field, h, input, section, select, table, DATE } from './dom.js';
import * as fmt from './format.js';
import { t } from './i18n.js';
import { ratePaths } from './charts.js';
import { attestationRequest } from './request.js';
import * as show from './results.js';
import { attestations, kpiStatus } from './loans.js';

const form = { loan_id: '', metric_id: '', year: '', value: '', accepted_on: '', verifier_name: '', accreditation: '' };
let evidence = null; // {name, size, sha256}
let idemKey = null;
let last = null;
let spts = []; // the loan's SPTs as of the business date (GET /v1/loans/{id}/spts)

// pickSPT keeps the chosen metric and year when the loan's plan has them, and
// otherwise picks the first metric and its first year still pending.
export function pickSPT(list, metric, year) {
  const metrics = [...new Set(list.map((s) => s.metric_id))];
  const m = metrics.includes(metric) ? metric : (metrics[0] ?? '');
  const years = list.filter((s) => s.metric_id === m);
  if (years.some((s) => String(s.year) === String(year))) return { metric_id: m, year: String(year) };
  const open = years.find((s) => s.outcome === 'pending') ?? years[0];
  return { metric_id: m, year: open ? String(open.year) : '' };
}

export async function sha256Hex(buf) {
  const d = await crypto.subtle.digest('SHA-256', buf);
  return Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, '0')).join('');
}

export function render(ctx) {
  const out = h('div', { id: 'attest-result', 'aria-live': 'polite' });
  const prior = h('div', {});
  const status = h('div', {});
  const metricSel = select([], { name: 'metric_id', class: 'mono data', onchange: (ev) => { form.metric_id = ev.target.value; idemKey = null; fill(); } });
  const yearSel = select([], { name: 'year', onchange: (ev) => { form.year = ev.target.value; idemKey = null; } });
  // fill lists the plan's metrics, and the chosen metric's years with their
  // target and current status; both wait for a loan id.
  const fill = () => {
    Object.assign(form, pickSPT(spts, form.metric_id, form.year));
    const metrics = [...new Set(spts.map((s) => s.metric_id))];
    metricSel.replaceChildren(...(metrics.length ? metrics.map((m) => h('option', { value: m, text: m })) : [h('option', { value: '', text: t('att.spt_first') })]));
    const years = spts.filter((s) => s.metric_id === form.metric_id);
    yearSel.replaceChildren(...(years.length
      ? years.map((s) => h('option', { value: String(s.year), text: t('att.spt_option', { year: s.year, target: s.target, outcome: t(`outcome.${s.outcome}`) }) }))
      : [h('option', { value: '', text: t('att.spt_first') })]));
    metricSel.value = form.metric_id; yearSel.value = form.year;
    metricSel.disabled = yearSel.disabled = !spts.length;
  };
  const bind = (k, attrs) => input({ ...attrs, name: k, value: form[k], oninput: (ev) => { form[k] = ev.target.value; idemKey = null; } });
  const loadLoan = async () => {
    const id = form.loan_id.trim();
    if (!id) return;
    try {
      const [res, s] = await Promise.all([get(`/v1/loans/${encodeURIComponent(id)}/attestations?limit=500`), get(`/v1/loans/${encodeURIComponent(id)}/spts`)]);
      spts = s.spts;
      fill();
      status.replaceChildren(kpiStatus(spts, res.items));
      prior.replaceChildren(res.items.length ? attestations(res.items) : h('p', { text: t('loan.no_attestations') }));
    } catch (err) {
      spts = [];
      fill();
      status.replaceChildren();
      prior.replaceChildren(ctx.errorBox(err));
    }
  };
  const hashOut = h('output', { id: 'evidence-sha256', class: 'mono live', 'aria-live': 'polite', text: evidence ? evidence.sha256 : '' });
  const file = h('input', { type: 'file', id: 'evidence', name: 'evidence', onchange: async (ev) => {
    const f = ev.target.files[0];
    evidence = null; idemKey = null;
    if (!f) { hashOut.textContent = ''; return; }
    hashOut.textContent = t('att.hashing');
    if (!window.crypto?.subtle) { hashOut.textContent = t('att.no_webcrypto'); return; }
    evidence = { name: f.name, size: f.size, sha256: await sha256Hex(await f.arrayBuffer()) };
    hashOut.textContent = evidence.sha256;
  } });
  const loanIn = bind('loan_id', { required: true, class: 'mono' });
  loanIn.addEventListener('change', loadLoan);
  const submit = async (ev) => {
    ev.preventDefault();
    if (!evidence) { out.replaceChildren(h('div', { class: 'error', role: 'alert', text: t('att.need_file') })); return; }
    idemKey ||= crypto.randomUUID();
    try {
      const res = await post(`/v1/loans/${encodeURIComponent(form.loan_id.trim())}/attestations`, attestationRequest(form, evidence.sha256), { headers: { 'Idempotency-Key': idemKey } });
      last = res; idemKey = null;
      draw();
      loadLoan();
    } catch (err) { out.replaceChildren(ctx.errorBox(err)); }
  };
  const draw = () => {
    if (!last) return;
    const a = last.attestation;
    out.replaceChildren(section('att.result',
      h('p', { id: 'attest-outcome', class: 'ok', text: t('att.accepted', { id: a.id, status: t(`att.${a.status}`), outcome: t(`outcome.${last.outcome}`) }) }),
      last.changes.length
        ? table('att.changes', ['sched.period', 'sched.start', 'att.old_rate', 'att.new_rate'], last.changes.map((c) => [String(c.period), fmt.date(c.start), fmt.rate(c.old_rate), fmt.rate(c.new_rate)]), [0, 2, 3])
        : h('p', { id: 'no-changes', text: t('att.no_changes') }),
      show.totals(last.schedule),
      ratePaths('chart.loan', [{ name: t('loan.rate'), lines: last.schedule.schedule }]),
      show.schedule(last.schedule.schedule)));
  };
  draw();
  fill();
  if (form.loan_id) loadLoan();
  return h('div', {}, section('att.title', h('p', { text: t('att.intro') }),
    h('form', { novalidate: true, onsubmit: submit },
      h('div', { class: 'grid' },
        field('att.loan_id', loanIn, t('att.loan_hint')),
        field('loan.metric', metricSel, t('att.metric_hint')),
        field('loan.year', yearSel, t('att.year_hint')),
        field('att.value', bind('value', { inputmode: 'decimal' })),
        field('att.accepted_on', bind('accepted_on', { ...DATE }), t('att.accepted_hint')),
        field('att.verifier_name', bind('verifier_name', {})),
        field('att.accreditation', bind('accreditation', {}), t('form.optional')),
        field('att.evidence_file', file, t('att.evidence_hint'))),
      h('p', {}, h('span', { text: `${t('att.evidence')}: ` }), hashOut),
      h('button', { type: 'submit', id: 'attest', class: 'primary', text: t('att.submit') }))),
  out, section('loan.kpi_status', status), section('loan.attestations', prior));
}
