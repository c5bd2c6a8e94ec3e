// The loan list (cursor paging, server-side filters, and a quick search over
// the loaded page) and the loan
// page: terms, each KPI's status per year, attestations, the schedule as of
// any date with its chart, and links to the loan's decisions (auditors).
import { get, qs } from './api.js';
import { button, field, h, input, section, select, table, DATE } from './dom.js';
import * as fmt from './format.js';
import { t } from './i18n.js';
import { ratePaths } from './charts.js';
import * as show from './results.js';

const list = { cursors: [''], page: 0, filter: '', status: '', industry: '', tier: '', pathway_id: '', external_ref: '' };

// listQuery maps the list's filters and page to GET /v1/loans's query
// parameters: trimmed, the industry code upper-cased, empty ones left out.
export function listQuery(l, limit = 20) {
  const q = { limit, cursor: l.cursors[l.page], industry: l.industry.trim().toUpperCase(), tier: l.tier,
    pathway_id: l.pathway_id.trim(), external_ref: l.external_ref.trim() };
  return Object.fromEntries(Object.entries(q).filter(([, v]) => v !== '' && v != null));
}

export function renderList(ctx) {
  const out = h('div', { 'aria-live': 'polite' }, h('p', { class: 'loading', text: t('form.loading') }));
  let items = [];
  let next = '';
  const draw = () => {
    const f = list.filter.trim().toLowerCase();
    const shown = items.filter((l) => (!f || [l.id, l.external_ref, l.borrower?.name, l.borrower?.uscc, l.pathway_id].some((v) => String(v || '').toLowerCase().includes(f)))
      && (!list.status || String(l.active) === list.status));
    out.replaceChildren(
      table('loans.title', ['loans.id', 'loans.external_ref', 'loans.borrower', 'loans.pathway', 'loans.tier', 'loans.amount', 'loans.start', 'loans.status'],
        shown.map((l) => [h('a', { href: `#/loans/${encodeURIComponent(l.id)}`, text: l.id }), l.external_ref || '', h('span', { class: 'data', text: l.borrower?.name || l.borrower?.uscc || '' }),
          l.pathway_id, t(`tier.${l.tier}`, {}, l.tier), fmt.money(l.facility?.amount), fmt.date(l.facility?.start_date), l.active ? t('loans.active') : t('loans.closed')]), [5]),
      ...(shown.length ? [] : [h('p', { text: t('loans.none') })]),
      h('div', { class: 'buttons' },
        button('page.prev', () => { list.page -= 1; load(); }, { disabled: list.page === 0, id: 'loans-prev' }),
        h('span', { text: t('page.n', { n: list.page + 1 }) }),
        button('page.next', () => { list.cursors[list.page + 1] = next; list.page += 1; load(); }, { disabled: !next, id: 'loans-next' })));
  };
  const load = async () => {
    try {
      const res = await get(`/v1/loans${qs(listQuery(list))}`);
      items = res.items; next = res.next_cursor || '';
      draw();
    } catch (err) { out.replaceChildren(ctx.errorBox(err)); }
  };
  const filter = input({ type: 'search', name: 'filter', value: list.filter, oninput: (ev) => { list.filter = ev.target.value; draw(); } });
  const status = select([['', t('loans.any')], ['true', t('loans.active')], ['false', t('loans.closed')]], { name: 'status' });
  status.value = list.status;
  status.addEventListener('change', () => { list.status = status.value; draw(); });
  // Server-side filters: a new search starts again from the first page.
  const server = (k, attrs) => input({ ...attrs, name: k, value: list[k], oninput: (ev) => { list[k] = ev.target.value; } });
  const tier = select([['', t('loans.any')], ...['leading', 'advancing', 'transitioning'].map((v) => [v, t(`tier.${v}`)])], { name: 'tier' });
  tier.value = list.tier;
  tier.addEventListener('change', () => { list.tier = tier.value; });
  const search = (ev) => { ev.preventDefault(); list.cursors = ['']; list.page = 0; load(); };
  load();
  return section('loans.title',
    h('form', { id: 'loan-search', novalidate: true, onsubmit: search },
      h('div', { class: 'grid filters' },
        field('loans.industry', server('industry', { class: 'mono', autocapitalize: 'characters' }), t('loans.industry_hint')),
        field('loans.tier', tier),
        field('loans.pathway', server('pathway_id', { class: 'mono' }), t('loans.pathway_hint')),
        field('loans.external_ref', server('external_ref', {}), t('loans.exact_hint'))),
      h('div', { class: 'buttons' }, h('button', { type: 'submit', id: 'loans-search', text: t('loans.search') }))),
    h('div', { class: 'grid filters' }, field('loans.filter', filter, t('loans.filter_hint')), field('loans.status', status)), out);
}

const asOf = new Map(); // loan id → chosen as_of

// kpiStatus: each SPT's outcome, with late/corrected from the attestations.
export function kpiStatus(spts, atts) {
  return table('loan.kpi_status', ['loan.metric', 'loan.year', 'loan.target', 'loan.due', 'loan.outcome', 'loan.determined_on', 'loan.flags'],
    spts.map((s) => {
      const mine = atts.filter((a) => a.metric_id === s.metric_id && a.year === s.year);
      const flags = [];
      if (mine.some((a) => a.status === 'late')) flags.push(t('att.late'));
      if (mine.some((a) => a.status === 'correction')) flags.push(t('att.corrected'));
      return [s.metric_id, String(s.year), s.target, fmt.date(s.due_date), h('span', { class: `badge ${s.outcome}`, text: t(`outcome.${s.outcome}`) }), s.determined_on ? fmt.date(s.determined_on) : '—', flags.join(', ') || '—'];
    }));
}

export function attestations(atts) {
  return table('loan.attestations', ['att.id', 'loan.metric', 'loan.year', 'att.value', 'att.accepted_on', 'att.verifier', 'att.status', 'loan.outcome', 'att.evidence'],
    atts.map((a) => [a.id, a.metric_id, String(a.year), a.value, fmt.date(a.accepted_on), h('span', { class: 'data', text: `${a.verifier?.name || ''} ${a.verifier?.accreditation || ''}` }),
      t(`att.${a.status}`), a.outcome ? t(`outcome.${a.outcome}`) : '—', h('code', { title: a.evidence_sha256, text: `${a.evidence_sha256.slice(0, 12)}…` })]));
}

export function renderLoan(ctx) {
  const id = ctx.id;
  const out = h('div', { 'aria-live': 'polite' }, h('p', { class: 'loading', text: t('form.loading') }));
  const schedOut = h('div', { id: 'loan-schedule' }, h('p', { class: 'loading', text: t('form.loading') }));
  const loadSchedule = async () => {
    try {
      const s = await get(`/v1/loans/${encodeURIComponent(id)}/schedule${qs({ as_of: asOf.get(id) })}`);
      schedOut.replaceChildren(
        h('p', { text: `${t('loan.as_of')} ${fmt.date(s.as_of)} · ${t('loan.benchmark')} ${s.benchmark}` }),
        show.totals(s),
        ratePaths('chart.loan', [{ name: t('loan.rate'), lines: s.schedule }]),
        show.schedule(s.schedule));
      return s;
    } catch (err) { schedOut.replaceChildren(ctx.errorBox(err)); return null; }
  };
  (async () => {
    try {
      const [loan, atts] = await Promise.all([get(`/v1/loans/${encodeURIComponent(id)}`), get(`/v1/loans/${encodeURIComponent(id)}/attestations?limit=500`)]);
      const s = await get(`/v1/loans/${encodeURIComponent(id)}/schedule`);
      const fa = loan.facility || {};
      const b = loan.borrower || {};
      const dateIn = input({ ...DATE, name: 'as_of', value: asOf.get(id) || '', onchange: (ev) => { asOf.set(id, ev.target.value); loadSchedule(); } });
      out.replaceChildren(
        section('loan.terms', show.definitions([
          ['loans.id', h('span', { id: 'loan-id', text: loan.id })], ['loans.external_ref', loan.external_ref || '—'],
          ['borrower.name', h('span', { class: 'data', text: b.name || '—' })], ['borrower.uscc', h('code', { text: b.uscc || '' })],
          ['borrower.industry_code', b.industry_code || ''], ['form.pathway', loan.pathway_id], ['loans.tier', t(`tier.${loan.tier}`, {}, loan.tier)],
          ['facility.amount', fmt.money(fa.amount)], ['facility.start_date', fmt.date(fa.start_date)], ['facility.tenor_months', String(fa.tenor_months ?? '')],
          ['facility.repayment', t(`repayment.${fa.repayment}`, {}, fa.repayment || '')], ['facility.frequency', t(`freq.${fa.payment_frequency}`, {}, fa.payment_frequency || '')],
          ['loan.booked_on', fmt.date(loan.booked_on)], ['quote.policy', loan.policy?.version], ['loan.catalogue', `${loan.catalogue?.id} ${loan.catalogue?.version}`],
          ['loans.status', loan.active ? t('loans.active') : t('loans.closed')]]),
        ctx.role === 'auditor' ? h('p', {}, h('a', { href: `#/decisions?loan_id=${encodeURIComponent(loan.id)}`, id: 'loan-decisions', text: t('loan.decisions') })) : null),
        section('loan.kpi_status', kpiStatus(s.spts, atts.items)),
        section('loan.attestations', atts.items.length ? attestations(atts.items) : h('p', { text: t('loan.no_attestations') })),
        section('loan.schedule', h('div', { class: 'grid' }, field('loan.as_of', dateIn, t('loan.as_of_hint'))), schedOut));
      loadSchedule();
    } catch (err) { out.replaceChildren(ctx.errorBox(err)); }
  })();
  return h('div', {}, h('p', {}, h('a', { href: '#/loans', text: `← ${t('nav.loans')}` })), out);
}

