// The API client: the key lives in sessionStorage only (gone when the tab
// closes; never in a URL, cookie or log) and travels as a bearer token to
// this origin's /v1.
const KEY = 'tfp.apiKey';

export const session = {
  key: () => sessionStorage.getItem(KEY),
  set: (k) => sessionStorage.setItem(KEY, k),
  clear: () => sessionStorage.removeItem(KEY),
};

// ApiError carries the HTTP status and the RFC 9457 problem.
export class ApiError extends Error {
  constructor(status, problem, retryAfter) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
    this.retryAfter = retryAfter;
  }
}

let onUnauthorized = () => {};
export function setUnauthorizedHandler(f) { onUnauthorized = f; }

// call sends a request and returns the decoded JSON (or the Response when
// raw is set, for CSV and file downloads).
export async function call(method, path, body, opts = {}) {
  const headers = { Accept: opts.accept || 'application/json' };
  const key = opts.key ?? session.key();
  if (key) headers.Authorization = `Bearer ${key}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  Object.assign(headers, opts.headers || {});
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'omit', cache: 'no-store' });
  } catch (e) {
    throw new ApiError(0, { detail: String(e) });
  }
  if (!res.ok) {
    let problem = {};
    try { problem = await res.json(); } catch { /* not JSON */ }
    const err = new ApiError(res.status, problem, res.headers.get('Retry-After'));
    if (res.status === 401 && !opts.key) onUnauthorized(err);
    throw err;
  }
  if (opts.raw) return res;
  return res.json();
}

export const get = (path, opts) => call('GET', path, undefined, opts);
export const post = (path, body, opts) => call('POST', path, body, opts);

// qs builds a query string from the non-empty values.
export function qs(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v != null && v !== '') u.set(k, v);
  const s = u.toString();
  return s ? `?${s}` : '';
}
