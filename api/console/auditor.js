// The auditor's pages: the decision browser (kind, business-date range,
// loan, cursor paging), a decision with its inputs, outputs, hashes and
// digests, Replay, chain verification, checkpoint and public key download.
import { get, post, qs } from './api.js';
import { button, download, field, h, input, section, select, table, DATE } from './dom.js';
import * as fmt from './format.js';
import { t } from './i18n.js';
import * as show from './results.js';

const KINDS = ['quote', 'booking', 'attestation', 'correction', 'repricing', 'sweep', 'catalogue_load', 'policy_load', 'simulation', 'emissions'];
const filters = { kind: '', from: '', to: '', loan_id: '' };
const paging = { cursors: [''], page: 0 };

export function renderList(ctx) {
  if (ctx.params.loan_id !== undefined && ctx.params.loan_id !== filters.loan_id) {
    filters.loan_id = ctx.params.loan_id; paging.cursors = ['']; paging.page = 0;
  }
  const out = h('div', { 'aria-live': 'polite' }, h('p', { class: 'loading', text: t('form.loading') }));
  const load = async () => {
    try {
      const res = await get(`/v1/decisions${qs({ ...filters, limit: 20, cursor: paging.cursors[paging.page] })}`);
      out.replaceChildren(
        table('dec.title', ['dec.seq', 'dec.kind', 'dec.loan', 'dec.business_date', 'dec.recorded_at', 'dec.actor', 'dec.hash'],
          res.items.map((d) => [h('a', { href: `#/decisions/${d.decision_id}`, text: String(d.seq) }), t(`kind.d.${d.kind}`, {}, d.kind),
            d.loan_id ? h('a', { href: `#/loans/${encodeURIComponent(d.loan_id)}`, text: d.loan_id }) : '—', fmt.date(d.business_date), fmt.timestamp(d.recorded_at),
            `${d.actor.key_id} (${t(`role.${d.actor.role}`, {}, d.actor.role)})`, h('code', { title: d.hash, text: `${d.hash.slice(0, 12)}…` })]), [0]),
        res.items.length ? null : h('p', { text: t('dec.none') }),
        h('div', { class: 'buttons' },
          button('page.prev', () => { paging.page -= 1; load(); }, { disabled: paging.page === 0, id: 'dec-prev' }),
          h('span', { text: t('page.n', { n: paging.page + 1 }) }),
          button('page.next', () => { paging.cursors[paging.page + 1] = res.next_cursor; paging.page += 1; load(); }, { disabled: !res.next_cursor, id: 'dec-next' })));
    } catch (err) { out.replaceChildren(ctx.errorBox(err)); }
  };
  const bind = (k, el) => { el.value = filters[k]; el.addEventListener('change', () => { filters[k] = el.value; paging.cursors = ['']; paging.page = 0; load(); }); return el; };
  load();
  return section('dec.title',
    h('div', { class: 'grid filters' },
      field('dec.kind', bind('kind', select([['', t('dec.any_kind')], ...KINDS.map((k) => [k, t(`kind.d.${k}`)])], { name: 'kind' }))),
      field('dec.from', bind('from', input({ ...DATE, name: 'from' }))),
      field('dec.to', bind('to', input({ ...DATE, name: 'to' }))),
      field('dec.loan', bind('loan_id', input({ name: 'loan_id', class: 'mono' })))),
    out);
}

export function renderDecision(ctx) {
  const out = h('div', { 'aria-live': 'polite' }, h('p', { class: 'loading', text: t('form.loading') }));
  const replayOut = h('div', { id: 'replay-result', 'aria-live': 'polite' });
  (async () => {
    try {
      const d = await get(`/v1/decisions/${encodeURIComponent(ctx.id)}`);
      out.replaceChildren(
        section('dec.record', show.definitions([
          ['dec.seq', String(d.seq)], ['dec.kind', t(`kind.d.${d.kind}`, {}, d.kind)], ['dec.loan', d.loan_id || '—'], ['dec.quote', d.quote_id || '—'],
          ['dec.actor', `${d.actor.key_id} (${d.actor.role})`], ['dec.request_id', d.actor.request_id || '—'],
          ['dec.recorded_at', fmt.timestamp(d.recorded_at)], ['dec.business_date', fmt.date(d.business_date)], ['dec.as_of', fmt.date(d.as_of)],
          ['dec.catalogue', d.catalogue ? h('span', {}, `${d.catalogue.id} ${d.catalogue.version} `, h('code', { text: d.catalogue.digest })) : '—'],
          ['dec.policy', d.policy ? h('span', {}, `${d.policy.version} `, h('code', { text: d.policy.digest })) : '—'],
          ['dec.fixings', (d.fixings || []).map((f) => `${f.effective_date} ${fmt.rate(f.one_year)}/${fmt.rate(f.five_year)}`).join('; ') || '—'],
          ['dec.engine', d.engine_version], ['dec.output_digest', h('code', { text: d.output_digest })],
          ['dec.prev_hash', h('code', { text: d.prev_hash })], ['dec.hash', h('code', { id: 'dec-hash', text: d.hash })]]),
        button('dec.replay', async () => {
          replayOut.replaceChildren(h('p', { class: 'loading', text: t('form.working') }));
          try {
            const r = await post(`/v1/decisions/${encodeURIComponent(ctx.id)}/replay`);
            replayOut.replaceChildren(h('p', { id: 'replay-match', class: r.match ? 'ok' : 'bad', text: r.match ? t('dec.match') : t('dec.mismatch') }),
              h('p', { text: `${t('dec.recorded_digest')}: ${r.recorded_digest} · ${t('dec.replayed_digest')}: ${r.replayed_digest}` }),
              r.differences.length ? table('dec.differences', ['dec.path', 'dec.recorded', 'dec.replayed'], r.differences.map((x) => [x.path, h('code', { text: x.recorded }), h('code', { text: x.replayed })])) : null);
          } catch (err) { replayOut.replaceChildren(ctx.errorBox(err)); }
        }, { id: 'replay', class: 'primary' }), replayOut),
        section('dec.inputs', h('pre', { class: 'json', tabindex: '0', text: JSON.stringify(d.inputs, null, 2) })),
        section('dec.outputs', h('pre', { class: 'json', tabindex: '0', text: JSON.stringify(d.outputs, null, 2) })));
    } catch (err) { out.replaceChildren(ctx.errorBox(err)); }
  })();
  return h('div', {}, h('p', {}, h('a', { href: '#/decisions', text: `← ${t('nav.decisions')}` })), out);
}

const audit = { verification: null, saved: [] }; // kept across language switches

function verification(v) {
  return [h('p', { id: 'verify-ok', class: v.ok ? 'ok' : 'bad', text: v.ok ? t('audit.ok', { n: v.checked }) : t('audit.broken', { seq: v.first_broken_seq, n: v.checked }) }),
    v.reason ? h('p', { class: 'data', lang: 'en', text: v.reason }) : null,
    show.definitions([['audit.head_seq', String(v.head.seq)], ['audit.head_hash', h('code', { text: v.head.hash })]])];
}

export function renderAudit(ctx) {
  const verifyOut = h('div', { id: 'verify-result', 'aria-live': 'polite' }, audit.verification ? verification(audit.verification) : null);
  const saved = () => audit.saved.map((name) => h('p', { class: 'ok', role: 'status', text: t('audit.saved', { name }) }));
  const dlOut = h('div', { 'aria-live': 'polite' }, saved());
  const verify = async () => {
    verifyOut.replaceChildren(h('p', {}, h('label', { for: 'verify-progress', text: t('audit.verifying') }), ' ', h('progress', { id: 'verify-progress' })));
    try {
      audit.verification = await get('/v1/audit/verify');
      verifyOut.replaceChildren(...verification(audit.verification));
    } catch (err) { verifyOut.replaceChildren(ctx.errorBox(err)); }
  };
  const fetchSave = (path, name, pick) => async () => {
    try {
      const body = await get(path);
      const [data, type] = pick(body);
      download(name, data, type);
      if (!audit.saved.includes(name)) audit.saved.push(name);
      dlOut.replaceChildren(...saved());
    } catch (err) { dlOut.replaceChildren(ctx.errorBox(err)); }
  };
  return h('div', {},
    section('audit.verify_title', h('p', { text: t('audit.verify_intro') }), button('audit.verify', verify, { id: 'verify', class: 'primary' }), verifyOut),
    section('audit.downloads', h('p', { text: t('audit.downloads_intro') }),
      h('div', { class: 'buttons' },
        button('audit.checkpoint', fetchSave('/v1/audit/checkpoint', 'checkpoint.json', (b) => [JSON.stringify(b, null, 2) + '\n', 'application/json']), { id: 'checkpoint' }),
        button('audit.public_key', fetchSave('/v1/audit/public-key', 'audit-public-key.pem', (b) => [b.public_key_pem, 'application/x-pem-file']), { id: 'public-key' })),
      dlOut));
}
