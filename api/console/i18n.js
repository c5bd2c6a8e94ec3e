// Chinese by default, English on request: every label, rule name, status
// and error message the console shows. The choice is kept in localStorage
// (it is not a secret); messages take {name} placeholders.
import { en, zh } from './messages.js';

const DICTS = { zh, en };
const STORE = 'tfp.lang';
let current = 'zh';
try { current = localStorage.getItem(STORE) === 'en' ? 'en' : 'zh'; } catch { /* storage off */ }
const listeners = [];

export const lang = () => current;

export function setLang(l) {
  current = l === 'en' ? 'en' : 'zh';
  try { localStorage.setItem(STORE, current); } catch { /* storage off */ }
  listeners.forEach((f) => f(current));
}

export function onLangChange(f) { listeners.push(f); }

// t translates key, filling {placeholders} from vars; an unknown key gives
// fallback (e.g. a role or rule this console does not know yet) or the key.
export function t(key, vars = {}, fallback) {
  const s = DICTS[current][key] ?? fallback ?? key;
  return s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] ?? m));
}
