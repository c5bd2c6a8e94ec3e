// The verifier's attestation form. The evidence file's SHA-256 is computed
// here with WebCrypto; the file itself never leaves the browser.
import { get, post } from './api.js';
import { field, h, input, section, table, DATE } from './dom.js';
import * as fmt from './format.js';
import { t } from './i18n.js';
import { ratePaths } from './charts.js';
import { attestationRequest } from './request.js';
import * as show from './results.js';
import { attestations } from './loans.js';

const form = { loan_id: '', metric_id: '', year: '', value: '', accepted_on: '', verifier_name: '', accreditation: '' };
let evidence = null; // {name, size, sha256}
let idemKey = null;
let last = null;

export async function sha256Hex(buf) {
  const d = await crypto.subtle.digest('SHA-256', buf);
  return Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, '0')).join('');
}

export function render(ctx) {
  const out = h('div', { id: 'attest-result', 'aria-live': 'polite' });
  const known = h('datalist', { id: 'metric-list' });
  const prior = h('div', {});
  const bind = (k, attrs) => input({ ...attrs, name: k, value: form[k], oninput: (ev) => { form[k] = ev.target.value; idemKey = null; } });
  const loadLoan = async () => {
    if (!form.loan_id.trim()) return;
    try {
      const res = await get(`/v1/loans/${encodeURIComponent(form.loan_id.trim())}/attestations?limit=500`);
      const ids = [...new Set(res.items.map((a) => a.metric_id))];
      known.replaceChildren(...ids.map((m) => h('option', { value: m })));
      prior.replaceChildren(res.items.length ? attestations(res.items) : h('p', { text: t('loan.no_attestations') }));
    } catch (err) { prior.replaceChildren(ctx.errorBox(err)); }
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
  if (form.loan_id) loadLoan();
  return h('div', {}, section('att.title', h('p', { text: t('att.intro') }),
    h('form', { novalidate: true, onsubmit: submit },
      h('div', { class: 'grid' },
        field('att.loan_id', loanIn, t('att.loan_hint')),
        field('loan.metric', bind('metric_id', { list: 'metric-list', class: 'mono' }), t('att.metric_hint')), known,
        field('loan.year', bind('year', { inputmode: 'numeric' })),
        field('att.value', bind('value', { inputmode: 'decimal' })),
        field('att.accepted_on', bind('accepted_on', { ...DATE }), t('att.accepted_hint')),
        field('att.verifier_name', bind('verifier_name', {})),
        field('att.accreditation', bind('accreditation', {}), t('form.optional')),
        field('att.evidence_file', file, t('att.evidence_hint'))),
      h('p', {}, h('span', { text: `${t('att.evidence')}: ` }), hashOut),
      h('button', { type: 'submit', id: 'attest', class: 'primary', text: t('att.submit') }))),
  out, section('loan.attestations', prior));
}
