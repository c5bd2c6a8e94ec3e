// Form-to-request mapping: the console's form state (plain strings, as
// typed) to the API's request bodies. Pure functions, unit-tested with
// node --test (api/testdata/console), so what the forms send is pinned.

// BORROWER_FLAGS are the borrower's yes/no fields the API accepts, each
// shown as a checkbox and sent only when ticked. A new flag (DESIGN.md §3.1
// new_capacity) is added here and in i18n.js ('flag.<name>'), nothing else.
export const BORROWER_FLAGS = ['obsolete_capacity', 'new_capacity'];

const trim = (v) => (v == null ? '' : String(v).trim());
const int = (v) => {
  const s = trim(v);
  return /^-?\d+$/.test(s) ? Number.parseInt(s, 10) : s === '' ? undefined : s;
};

// borrower maps the borrower fields; quote adds the pricing fields.
function borrower(b, quote) {
  const out = { uscc: trim(b.uscc), industry_code: trim(b.industry_code) };
  if (trim(b.name)) out.name = trim(b.name);
  if (trim(b.just_transition_score) !== '') out.just_transition_score = int(b.just_transition_score);
  for (const f of BORROWER_FLAGS) if (b[f] === true) out[f] = true;
  if (quote) {
    out.credit_rating = trim(b.credit_rating);
    out.esg_score = int(b.esg_score);
    if (trim(b.carbon_efficiency_grade) !== '') out.carbon_efficiency_grade = int(b.carbon_efficiency_grade);
  }
  return out;
}

// kpi maps one KPI block; empty target rows are dropped.
function kpi(k) {
  const out = {
    metric_id: trim(k.metric_id),
    baseline: { year: int(k.baseline_year), value: trim(k.baseline_value) },
    targets: (k.targets || [])
      .filter((t) => trim(t.year) !== '' || trim(t.value) !== '')
      .map((t) => ({ year: int(t.year), value: trim(t.value) })),
  };
  if (trim(k.step_down_bp) !== '') out.step_down_bp = trim(k.step_down_bp);
  if (trim(k.step_up_bp) !== '') out.step_up_bp = trim(k.step_up_bp);
  return out;
}

// eligibilityRequest is the POST /v1/eligibility body.
export function eligibilityRequest(f) {
  const out = { borrower: borrower(f.borrower || {}, false), pathway_id: trim(f.pathway_id), kpis: (f.kpis || []).map(kpi) };
  if (trim(f.as_of)) out.as_of = trim(f.as_of);
  return out;
}

// quoteRequest is the POST /v1/quotes body (also the simulations' quote).
export function quoteRequest(f) {
  const fa = f.facility || {};
  const facility = {
    amount: trim(fa.amount).replace(/,/g, ''),
    currency: 'CNY',
    start_date: trim(fa.start_date),
    tenor_months: int(fa.tenor_months),
    repayment: trim(fa.repayment),
    payment_frequency: trim(fa.payment_frequency),
  };
  if (trim(fa.subsidy_rate_bp) !== '' || trim(fa.subsidy_end_date) !== '') {
    facility.subsidy = { rate_bp: trim(fa.subsidy_rate_bp), end_date: trim(fa.subsidy_end_date) };
  }
  const out = { borrower: borrower(f.borrower || {}, true), pathway_id: trim(f.pathway_id), kpis: (f.kpis || []).map(kpi), facility };
  if (trim(f.as_of)) out.as_of = trim(f.as_of);
  return out;
}

// bookingRequest is the POST /v1/loans body for a stored quote.
export function bookingRequest(quoteId, externalRef) {
  const out = { quote_id: quoteId };
  if (trim(externalRef)) out.external_ref = trim(externalRef);
  return out;
}

// attestationRequest is the POST /v1/loans/{id}/attestations body.
export function attestationRequest(a, sha256hex) {
  const out = {
    metric_id: trim(a.metric_id),
    year: int(a.year),
    value: trim(a.value),
    verifier: { name: trim(a.verifier_name) },
    evidence_sha256: sha256hex,
  };
  if (trim(a.accreditation)) out.verifier.accreditation = trim(a.accreditation);
  if (trim(a.accepted_on)) out.accepted_on = trim(a.accepted_on);
  return out;
}

// scenarios maps the analyst's builder to the simulation scenarios: the
// outcome grid (with the LPR path and report lag, when given), the all-met
// and none-met projections for comparison, and Monte Carlo when runs > 0.
// grid: metric → year → 'met' | 'missed' | 'not_reported' | '' (undetermined).
export function scenarios(s, names) {
  const out = [];
  const outcomes = {};
  for (const [metric, years] of Object.entries(s.grid || {})) {
    for (const [year, v] of Object.entries(years)) {
      if (v) (outcomes[metric] ||= {})[year] = v;
    }
  }
  const grid = { name: names.grid, outcomes };
  const path = (s.lpr_path || []).filter((p) => trim(p.effective_date) !== '')
    .map((p) => ({ effective_date: trim(p.effective_date), one_year: trim(p.one_year), five_year: trim(p.five_year) }));
  if (path.length) grid.lpr_path = path;
  if (trim(s.report_lag_days) !== '') grid.report_lag_days = int(s.report_lag_days);
  out.push(grid);
  out.push({ name: names.all_met, projection: 'all_met' });
  out.push({ name: names.none_met, projection: 'none_met' });
  const mc = s.monte_carlo || {};
  if (trim(mc.runs) !== '' && int(mc.runs) > 0) {
    const kpis = {};
    for (const [metric, v] of Object.entries(mc.kpis || {})) {
      kpis[metric] = { annual_change_pct_mean: trim(v.mean), annual_change_pct_sd: trim(v.sd) };
    }
    const m = { name: names.monte_carlo, monte_carlo: { runs: int(mc.runs), seed: int(mc.seed) ?? 1, kpis } };
    if (path.length) m.lpr_path = path;
    out.push(m);
  }
  return out;
}

// withBOM makes a CSV open as UTF-8 in Excel: a byte-order mark in front
// (once) and CRLF line ends.
export function withBOM(csv) {
  const body = csv.replace(/^\uFEFF/, '').replace(/\r?\n/g, '\r\n');
  return '\uFEFF' + body;
}
