// Proposals (DESIGN.md §5.1, 审贷分离): the approver's queue of pending
// proposals, each with what it would change, to approve or to reject with a
// reason; officers and auditors see the history, read-only.
import { get, post, qs } from './api.js';
import { button, field, h, input, section, table } from './dom.js';
import { t } from './i18n.js';

const dash = '—';

// kpiItems flattens a KPI into [item, value] pairs: its baseline, each
// target year and its own step sizes.
function kpiItems(k) {
  const out = [];
  if (k.baseline) out.push([`baseline ${k.baseline.year}`, String(k.baseline.value)]);
  for (const tg of k.targets || []) out.push([`target ${tg.year}`, String(tg.value)]);
  if (k.step_down_bp != null) out.push(['step_down_bp', String(k.step_down_bp)]);
  if (k.step_up_bp != null) out.push(['step_up_bp', String(k.step_up_bp)]);
  return out;
}

// amendmentDiff compares the current plan's KPIs with an amendment's
// complete new list and returns the rows that would change:
// [metric_id, item, before, after], "—" where a side has none. KPIs keep
// the current plan's order, new ones follow.
export function amendmentDiff(current, proposed) {
  const byID = (list) => new Map((list || []).map((k) => [k.metric_id, k]));
  const cur = byID(current);
  const next = byID(proposed);
  const ids = [...cur.keys(), ...[...next.keys()].filter((id) => !cur.has(id))];
  const rows = [];
  for (const id of ids) {
    const a = new Map(cur.has(id) ? kpiItems(cur.get(id)) : []);
    const b = new Map(next.has(id) ? kpiItems(next.get(id)) : []);
    const items = [...a.keys(), ...[...b.keys()].filter((k) => !a.has(k))];
    for (const item of items) {
      const before = a.get(item) ?? dash;
      const after = b.get(item) ?? dash;
      if (Number.isNaN(Number(before)) || Number.isNaN(Number(after)) ? before !== after : Number(before) !== Number(after)) {
        rows.push([id, item, before, after]);
      }
    }
  }
  return rows;
}

// changes shows what a proposal would change, reading the loan's plans or
// the LPR history as needed.
async function changes(p) {
  const r = p.request || {};
  if (p.kind === 'amendment') {
    const plans = await get(`/v1/loans/${encodeURIComponent(p.loan_id)}/plans`);
    const last = plans.versions[plans.versions.length - 1];
    const rows = amendmentDiff(last.kpis, r.kpis);
    return h('div', {},
      h('p', { text: t('prop.amend_summary', { version: String(last.version + 1), from: r.effective_from, code: r.reason_code }) }),
      r.reason ? h('p', { class: 'data', text: r.reason }) : null,
      rows.length ? table('prop.changes', ['prop.metric', 'prop.item', 'prop.before', 'prop.after'], rows)
        : h('p', { text: t('prop.no_changes') }));
  }
  if (p.kind === 'declassification') {
    return h('div', {}, h('p', { text: t('prop.declass_summary', { from: r.effective_from, ground: r.ground }) }),
      r.reason ? h('p', { class: 'data', text: r.reason }) : null);
  }
  const lpr = await get('/v1/benchmarks/lpr');
  const now = lpr.items[0] || {};
  return table('prop.changes', ['prop.item', 'prop.before', 'prop.after'], [
    ['effective_date', now.effective_date || dash, r.effective_date],
    ['one_year', now.one_year || dash, r.one_year], ['five_year', now.five_year || dash, r.five_year]]);
}

function summary(p) {
  return [p.proposal_id, t(`prop.kind.${p.kind}`, {}, p.kind), p.loan_id || dash, t(`prop.status.${p.status}`, {}, p.status),
    p.proposed_by.key_id, p.proposed_on, p.expires_on, p.decided_by ? p.decided_by.key_id : dash, p.decided_on || dash,
    p.reason || dash];
}

const HEAD = ['prop.id', 'prop.kind', 'prop.loan', 'prop.status', 'prop.proposed_by', 'prop.proposed_on', 'prop.expires_on',
  'prop.decided_by', 'prop.decided_on', 'prop.reason'];

function card(p, ctx, reload) {
  const out = h('div', { 'aria-live': 'polite' });
  const diff = h('div', {}, t('form.loading'));
  changes(p).then((n) => diff.replaceChildren(n), (err) => diff.replaceChildren(ctx.errorBox(err)));
  const reason = input({ name: 'reason', maxlength: '2000' });
  const decide = (verb, body) => async () => {
    try {
      await post(`/v1/proposals/${encodeURIComponent(p.proposal_id)}/${verb}`, body ? body() : undefined);
      reload();
    } catch (err) { out.replaceChildren(ctx.errorBox(err)); }
  };
  return h('article', { class: 'card', 'data-proposal': p.proposal_id },
    h('h3', { text: `${p.proposal_id} · ${t(`prop.kind.${p.kind}`, {}, p.kind)}${p.loan_id ? ` · ${p.loan_id}` : ''}` }),
    h('p', { text: t('prop.by', { key: p.proposed_by.key_id, on: p.proposed_on, until: p.expires_on }) }),
    diff,
    field('prop.reason', reason, t('prop.reason_hint')),
    h('div', { class: 'actions' },
      button('prop.approve', decide('approve'), { class: 'primary', 'data-action': 'approve' }),
      button('prop.reject', decide('reject', () => ({ reason: reason.value.trim() })), { 'data-action': 'reject' })),
    out);
}

// renderQueue is the approver's page: the pending proposals, oldest first.
export function renderQueue(ctx) {
  const list = h('div', { id: 'proposal-queue', 'aria-live': 'polite' }, t('form.loading'));
  const load = () => get(`/v1/proposals${qs({ status: 'pending', limit: 100 })}`).then((res) => list.replaceChildren(
    ...(res.items.length ? res.items.map((p) => card(p, ctx, load)) : [h('p', { role: 'status', text: t('prop.none') })])),
  (err) => list.replaceChildren(ctx.errorBox(err)));
  load();
  return h('div', {}, section('prop.queue', h('p', { text: t('prop.queue_intro') }), list), renderHistory(ctx));
}

// renderHistory lists every proposal, newest last, read-only.
export function renderHistory(ctx) {
  const out = h('div', { id: 'proposal-history', 'aria-live': 'polite' }, t('form.loading'));
  get(`/v1/proposals${qs({ limit: 200 })}`).then((res) => out.replaceChildren(
    table('prop.history', HEAD, res.items.map(summary))), (err) => out.replaceChildren(ctx.errorBox(err)));
  return section('prop.history', out);
}
