// Display formatting. Decimals arrive from the API as strings and are
// formatted as strings: no value on a money or rate path ever becomes a
// JavaScript number (DESIGN.md §2: no float on any money or rate path).

const DEC = /^(-?)(\d+)(?:\.(\d+))?$/;

// roundDecimal rounds a decimal string half-up (away from zero) to dp
// places and returns it with exactly dp places; a non-decimal is returned
// unchanged so bad data shows as it came.
export function roundDecimal(s, dp) {
  const m = DEC.exec(String(s ?? '').trim());
  if (!m) return String(s ?? '');
  const [, sign, int, frac = ''] = m;
  const padded = (frac + '0'.repeat(dp + 1)).slice(0, dp + 1);
  let scaled = BigInt(int + padded.slice(0, dp));
  const rest = frac.slice(dp);
  if (rest.length > 0 && rest[0] >= '5') scaled += 1n;
  let digits = scaled.toString().padStart(dp + 1, '0');
  const whole = digits.slice(0, digits.length - dp);
  const part = dp > 0 ? '.' + digits.slice(digits.length - dp) : '';
  const zero = /^[0.]*$/.test(whole + part);
  return (sign && !zero ? '-' : '') + whole + part;
}

// groupThousands puts a comma between each group of three integer digits.
export function groupThousands(s) {
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(s);
  if (!m) return s;
  return m[1] + m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (m[3] || '');
}

// money: thousands separators and 2 decimals, e.g. "50,000,000.00".
export function money(s) {
  if (s == null || s === '') return '';
  return groupThousands(roundDecimal(s, 2));
}

// rate: 4 decimals and "%", e.g. "3.8500%".
export function rate(s) {
  if (s == null || s === '') return '';
  return roundDecimal(s, 4) + '%';
}

// bp: a signed adjustment in basis points, as exact as given but without
// trailing zeros: "-20 bp", "+5 bp", "0 bp", "-12.5 bp".
export function bp(s) {
  if (s == null || s === '') return '';
  const m = DEC.exec(String(s).trim());
  if (!m) return String(s);
  const [, sign, int, frac = ''] = m;
  const f = frac.replace(/0+$/, '');
  const body = String(BigInt(int)) + (f ? '.' + f : '');
  if (body === '0') return '0 bp';
  return (sign ? '-' : '+') + body + ' bp';
}

// share: a 0–1 share with 4 decimals ("0.8120") as a percentage ("81.20%").
export function share(s) {
  const m = /^([01])\.(\d{4})$/.exec(String(s ?? ''));
  if (!m) return String(s ?? '');
  const n = m[1] + m[2]; // hundredths of a percent
  const v = String(Number.parseInt(n, 10)).padStart(3, '0');
  return v.slice(0, -2) + '.' + v.slice(-2) + '%';
}

// date: YYYY-MM-DD from a date or an RFC 3339 timestamp.
export function date(s) {
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(String(s ?? ''));
  return m ? m[1] : String(s ?? '');
}

// timestamp: an RFC 3339 UTC timestamp as "YYYY-MM-DD HH:MM:SS UTC".
export function timestamp(s) {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/.exec(String(s ?? ''));
  return m ? `${m[1]} ${m[2]} UTC` : String(s ?? '');
}

// isDecimal reports whether s is a plain decimal the API accepts.
export function isDecimal(s) {
  return DEC.test(String(s ?? '').trim());
}
