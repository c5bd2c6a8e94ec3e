// The operator's page: publish an LPR fixing, run the sweep, download a
// backup of the data file.
import { call, post } from './api.js';
import { button, download, field, h, input, section, DATE } from './dom.js';
import { t } from './i18n.js';
import * as show from './results.js';

const fixing = { effective_date: '', one_year: '', five_year: '' };
const last = { lpr: null, sweep: null, backup: null }; // kept across language switches

// Under four eyes (lifecycle.four_eyes_reference_data) the answer is a
// pending lpr_fixing proposal that an approver confirms.
const lprDone = (r) => (r.proposal_id
  ? h('p', { class: 'ok', role: 'status', text: t('op.lpr_proposed', { id: r.proposal_id, until: r.expires_on }) })
  : h('p', { class: 'ok', role: 'status', text: t('op.lpr_done', { date: r.fixing.effective_date, repriced: r.repriced, changed: r.changed }) }));
const sweepDone = (r) => show.definitions([['op.business_date', r.business_date], ['op.checked', String(r.checked)], ['op.changed', String(r.changed)], ['op.transactions', String(r.transactions)]]);
const backupDone = (name) => h('p', { class: 'ok', role: 'status', text: t('audit.saved', { name }) });

export function render(ctx) {
  const lprOut = h('div', { id: 'lpr-result', 'aria-live': 'polite' }, last.lpr && lprDone(last.lpr));
  const sweepOut = h('div', { id: 'sweep-result', 'aria-live': 'polite' }, last.sweep && sweepDone(last.sweep));
  const backupOut = h('div', { 'aria-live': 'polite' }, last.backup && backupDone(last.backup));
  const bind = (k, attrs) => input({ ...attrs, name: k, value: fixing[k], oninput: (ev) => { fixing[k] = ev.target.value; } });
  return h('div', {},
    section('op.lpr', h('p', { text: t('op.lpr_intro') }),
      h('form', { novalidate: true, onsubmit: async (ev) => {
        ev.preventDefault();
        try {
          last.lpr = await post('/v1/benchmarks/lpr', { ...fixing });
          lprOut.replaceChildren(lprDone(last.lpr));
        } catch (err) { lprOut.replaceChildren(ctx.errorBox(err)); }
      } },
      h('div', { class: 'grid' },
        field('lpr.effective_date', bind('effective_date', { ...DATE })),
        field('lpr.one_year', bind('one_year', { inputmode: 'decimal' }), t('lpr.pct_hint')),
        field('lpr.five_year', bind('five_year', { inputmode: 'decimal' }), t('lpr.pct_hint'))),
      h('button', { type: 'submit', id: 'publish', class: 'primary', text: t('op.publish') })), lprOut),
    section('op.sweep', h('p', { text: t('op.sweep_intro') }), button('op.run_sweep', async () => {
      try {
        last.sweep = await post('/v1/admin/sweep');
        sweepOut.replaceChildren(sweepDone(last.sweep));
      } catch (err) { sweepOut.replaceChildren(ctx.errorBox(err)); }
    }, { id: 'sweep', class: 'primary' }), sweepOut),
    section('op.backup', h('p', { text: t('op.backup_intro') }), button('op.download_backup', async () => {
      try {
        const res = await call('GET', '/v1/admin/backup', undefined, { raw: true, accept: 'application/octet-stream' });
        const name = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') || '')?.[1] || 'tfpricing.db';
        download(name, await res.blob());
        last.backup = name;
        backupOut.replaceChildren(backupDone(name));
      } catch (err) { backupOut.replaceChildren(ctx.errorBox(err)); }
    }, { id: 'backup' }), backupOut));
}
