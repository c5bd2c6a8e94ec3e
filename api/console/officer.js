// The loan officer's quote page: the guided form, the eligibility rules,
// the priced quote and "book this loan".
import { post } from './api.js';
import { button, field, h, input, section } from './dom.js';
import * as fmt from './format.js';
import { t } from './i18n.js';
import { newState, quoteForm } from './quoteform.js';
import { bookingRequest, eligibilityRequest, quoteRequest } from './request.js';
import * as show from './results.js';

const state = newState();
let last = null; // {kind: 'eligibility'|'quote'|'loan', body, result, request}
const booking = { external_ref: '' };

export function render(ctx) {
  const out = h('div', { id: 'quote-result', 'aria-live': 'polite' });
  const busy = (on) => page.querySelectorAll('.primary').forEach((b) => { b.disabled = on; });
  const run = async (kind) => {
    busy(true);
    out.replaceChildren(h('p', { class: 'loading', text: t('form.working') }));
    try {
      if (kind === 'eligibility') {
        const request = eligibilityRequest(state);
        last = { kind, request, result: await post('/v1/eligibility', request) };
      } else {
        const request = quoteRequest(state);
        last = { kind, request, result: await post('/v1/quotes', request) };
      }
      draw();
    } catch (err) {
      out.replaceChildren(ctx.errorBox(err), show.checks(err.problem?.eligibility));
    } finally { busy(false); }
  };
  const draw = () => out.replaceChildren(...(last ? results(last, ctx, draw) : []));
  const page = h('div', {},
    section('quote.title', h('p', { text: t('quote.intro') }),
      h('form', { novalidate: true, onsubmit: (ev) => { ev.preventDefault(); run('quote'); } },
        quoteForm(state, ctx.errorBox),
        h('div', { class: 'buttons' },
          button('quote.check', () => run('eligibility'), { id: 'check-eligibility', class: 'primary secondary' }),
          h('button', { type: 'submit', id: 'price', class: 'primary', text: t('quote.price') })))),
    out);
  draw();
  return page;
}

function results(last, ctx, redraw) {
  if (last.kind === 'eligibility') return [section('elig.title', show.checks(last.result))];
  const q = last.result;
  const parts = [
    section('elig.title', show.checks(q.eligibility)),
    section('rate.title', h('p', { text: `${t('quote.id')}: ${q.quote_id} · ${t('quote.valid_until')} ${fmt.date(q.valid_until)} · ${t('quote.policy')} ${q.policy.version}` }),
      show.breakdown(q, last.request)),
    section('proj.title', show.projections(q)),
    section('sched.title', show.schedule(q.projections.current.schedule)),
  ];
  const ref = input({ name: 'external_ref', value: booking.external_ref, oninput: (ev) => { booking.external_ref = ev.target.value; } });
  const bookOut = h('div', { 'aria-live': 'polite' });
  parts.push(section('book.title', h('p', { text: t('book.intro') }), field('book.external_ref', ref),
    button('book.submit', async (ev) => {
      ev.target.disabled = true;
      try {
        const loan = await post('/v1/loans', bookingRequest(q.quote_id, booking.external_ref));
        bookOut.replaceChildren(h('p', { class: 'ok', role: 'status' }, t('book.done'), ' ',
          h('a', { href: `#/loans/${encodeURIComponent(loan.id)}`, id: 'booked-loan', text: loan.id })));
      } catch (err) { bookOut.replaceChildren(ctx.errorBox(err)); ev.target.disabled = false; }
    }, { id: 'book', class: 'primary' }), bookOut));
  return parts;
}
