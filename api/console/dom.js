// Small DOM helpers. Text is always set as text (never parsed as HTML), and
// nothing sets a style attribute, so the page runs under a CSP without
// 'unsafe-inline'.
import { t } from './i18n.js';

let seq = 0;

// h builds an element: attrs may hold class, text, on<event> handlers and
// plain attributes (false/null omitted, true as a bare attribute).
export function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'value') el.value = v;
    else if (k === 'checked') el.checked = !!v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const kid of kids.flat(Infinity)) {
    if (kid == null || kid === false) continue;
    el.append(kid instanceof Node ? kid : String(kid));
  }
  return el;
}

// uid returns a fresh element id.
export function uid(prefix) {
  seq += 1;
  return `${prefix}-${seq}`;
}

// field wraps a control with its visible label (linked by for/id) and an
// optional hint (linked by aria-describedby).
export function field(labelKey, control, hint) {
  if (!control.id) control.id = uid('f');
  const kids = [h('label', { for: control.id, text: t(labelKey) }), control];
  if (hint) {
    const hid = uid('hint');
    control.setAttribute('aria-describedby', hid);
    kids.push(h('small', { id: hid, class: 'hint' }, hint));
  }
  return h('div', { class: 'field' }, kids);
}

// input, select and button shortcuts.
export function input(attrs) {
  return h('input', { type: 'text', autocomplete: 'off', ...attrs });
}

export function select(options, attrs) {
  return h('select', attrs || {}, options.map(([value, label]) => h('option', { value, text: label })));
}

export function button(key, onclick, attrs) {
  return h('button', { type: 'button', onclick, ...(attrs || {}) }, t(key));
}

// table renders rows under translated column headers; cells are strings or
// nodes; numeric columns (by index) are right-aligned.
export function table(captionKey, headKeys, rows, numeric = []) {
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t(captionKey) },
    h('table', {},
      h('caption', { text: t(captionKey) }),
      h('thead', {}, h('tr', {}, headKeys.map((k, i) => h('th', { scope: 'col', class: numeric.includes(i) ? 'num' : null, text: t(k) })))),
      h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c, i) => h('td', { class: numeric.includes(i) ? 'num' : null }, c)))))));
}

// download saves text or a Blob as a file.
export function download(name, data, type) {
  const blob = data instanceof Blob ? data : new Blob([data], { type });
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name, class: 'hidden' });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// section is a titled page region.
export function section(titleKey, ...kids) {
  const id = uid('sec');
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id, text: t(titleKey) }), kids);
}

// DATE makes a text input take a YYYY-MM-DD date whatever the browser's
// locale (a native date input would show the locale's own order).
export const DATE = { placeholder: 'YYYY-MM-DD', pattern: '\\d{4}-\\d{2}-\\d{2}', maxlength: '10', inputmode: 'numeric', class: 'date' };
