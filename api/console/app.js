// The console shell: sign-in, the role's sections, the language switch and
// a hash router. Each page module exports render(ctx) returning a node.
import { ApiError, get, session, setUnauthorizedHandler } from './api.js';
import { button, field, h, input } from './dom.js';
import { lang, onLangChange, setLang, t } from './i18n.js';
import * as officer from './officer.js';
import * as loans from './loans.js';
import * as verifier from './verifier.js';
import * as analyst from './analyst.js';
import * as auditor from './auditor.js';
import * as operator from './operator.js';
import * as approver from './approver.js';
import * as propose from './propose.js';

// SECTIONS: what each role may use (DESIGN.md §7, §5.1); a role not listed
// (a newer server's) signs in and is told it has no section.
const SECTIONS = {
  officer: ['quote', 'loans', 'propose'],
  analyst: ['scenarios'],
  verifier: ['attest'],
  auditor: ['decisions', 'audit', 'loans', 'proposals'],
  admin: ['operator', 'proposals'],
  approver: ['approvals'],
};

const PAGES = {
  quote: officer.render,
  loans: loans.renderList,
  loan: loans.renderLoan,
  scenarios: analyst.render,
  attest: verifier.render,
  decisions: auditor.renderList,
  decision: auditor.renderDecision,
  audit: auditor.renderAudit,
  operator: operator.render,
  approvals: approver.renderQueue,
  proposals: approver.renderHistory,
  propose: propose.render,
};

let who = null; // {key_id, role}
const app = document.getElementById('app');

// route parses location.hash: #/loans/L-1?x=y → {page: 'loan', id, params}.
function route() {
  const [path, query] = location.hash.replace(/^#\/?/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const params = Object.fromEntries(new URLSearchParams(query || ''));
  if (parts[0] === 'loans' && parts[1]) return { page: 'loan', id: parts[1], params };
  if (parts[0] === 'decisions' && parts[1]) return { page: 'decision', id: parts[1], params };
  return { page: parts[0] || '', params };
}

export function errorBox(err) {
  const status = err instanceof ApiError ? err.status : 0;
  const key = { 0: 'err.network', 400: 'err.400', 401: 'err.401', 403: 'err.403', 404: 'err.404', 409: 'err.409', 413: 'err.413', 422: 'err.422', 429: 'err.429', 503: 'err.503' }[status] || 'err.500';
  const p = err.problem || {};
  return h('div', { class: 'error', role: 'alert' },
    h('strong', { text: t(key, { s: err.retryAfter || '1' }) }),
    p.errors?.length ? h('ul', {}, p.errors.map((e) => h('li', {}, h('code', { text: e.field }), ' ', h('span', { class: 'data', lang: 'en', text: e.message })))) : null,
    p.detail ? h('p', { class: 'detail data', lang: 'en', text: `${t('err.server_says')} ${p.detail}` }) : null);
}

function header() {
  const other = lang() === 'zh' ? 'en' : 'zh';
  return h('header', { class: 'top' },
    h('h1', {}, h('a', { href: '#/', text: t('app.title') })),
    who ? h('p', { class: 'who', 'aria-live': 'polite' },
      h('span', { text: `${t('app.role')}: ${t(`role.${who.role}`, {}, who.role)}` }),
      h('span', { text: `${t('app.key_id')}: ` }, h('code', { id: 'key-id', text: who.key_id }))) : null,
    h('div', { class: 'actions' },
      h('button', { type: 'button', id: 'lang-switch', lang: other === 'en' ? 'en' : 'zh-CN', 'aria-label': t('app.switch_lang'), onclick: () => setLang(other), text: other === 'en' ? 'English' : '中文' }),
      who ? button('app.sign_out', signOut, { id: 'sign-out' }) : null));
}

function nav(current) {
  const items = SECTIONS[who.role] || [];
  return h('nav', { 'aria-label': t('app.sections') }, h('ul', {}, items.map((s) =>
    h('li', {}, h('a', { href: `#/${s}`, 'aria-current': current === s ? 'page' : null, 'data-section': s, text: t(`nav.${s}`) })))));
}

function signInPage(message) {
  const key = input({ type: 'password', name: 'api-key', id: 'api-key', autocomplete: 'off', required: true });
  const form = h('form', { class: 'card signin', novalidate: true, onsubmit: async (ev) => {
    ev.preventDefault();
    try {
      who = await get('/v1/session', { key: key.value.trim() });
      session.set(key.value.trim());
      location.hash = `#/${(SECTIONS[who.role] || [''])[0]}`;
      render();
    } catch (err) {
      form.querySelector('.error')?.remove();
      form.append(errorBox(err));
    }
  } },
  h('h2', { text: t('signin.title') }),
  h('p', { text: t('signin.intro') }),
  field('signin.key', key, t('signin.key_hint')),
  h('button', { type: 'submit', id: 'sign-in', text: t('signin.submit') }),
  message ? h('div', { class: 'error', role: 'alert', text: t(message) }) : null);
  return form;
}

function signOut() {
  session.clear();
  who = null;
  location.hash = '#/';
  render();
}

// render draws the whole page for the current route and language.
export async function render(message) {
  document.documentElement.lang = lang() === 'zh' ? 'zh-CN' : 'en';
  document.title = t('app.title');
  if (!who && session.key()) {
    try { who = await get('/v1/session'); } catch { session.clear(); }
  }
  const main = h('main', { id: 'main', tabindex: '-1' });
  if (!who) {
    app.replaceChildren(header(), main);
    main.append(signInPage(message));
    app.dataset.page = 'signin';
    return;
  }
  const r = route();
  const allowed = SECTIONS[who.role] || [];
  const section = r.page === 'loan' ? 'loans' : r.page === 'decision' ? 'decisions' : r.page;
  app.replaceChildren(header(), nav(section), main);
  if (!allowed.length) {
    main.append(h('div', { class: 'card', role: 'status', text: t('app.no_sections', { role: who.role }) }));
    app.dataset.page = 'none';
    return;
  }
  if (!allowed.includes(section)) {
    location.replace(`#/${allowed[0]}`);
    return;
  }
  app.dataset.page = r.page;
  main.append(PAGES[r.page]({ id: r.id, params: r.params, role: who.role, errorBox }));
}

setUnauthorizedHandler(() => { session.clear(); who = null; render('err.401'); });
onLangChange(() => render());
// A new page takes the focus to its content, so keyboard and screen-reader
// users start there rather than at the top of the header.
window.addEventListener('hashchange', () => render().then(() => document.getElementById('main')?.focus({ preventScroll: true })));
render();
