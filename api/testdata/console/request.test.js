// Unit tests of request.js: the forms' state as typed → the API bodies.
// The expected quote body is the Appendix A loan as DESIGN.md §7 and
// test/lifecycle_test.go write it.
import test from 'node:test';
import assert from 'node:assert/strict';
import { BORROWER_FLAGS, attestationRequest, bookingRequest, eligibilityRequest, quoteRequest, scenarios, withBOM } from './request.js';

const appendixA = () => ({
  borrower: { name: ' 湖州某化纤有限公司 ', uscc: '91350100M000100Y43', industry_code: 'C2822', credit_rating: 'AA', esg_score: '70', just_transition_score: '72', carbon_efficiency_grade: '3', obsolete_capacity: false },
  industry: 'C28',
  pathway_id: 'C28-P01',
  kpis: [{ metric_id: 'pet_fdy_energy', baseline_year: '2022', baseline_value: '88', targets: [{ year: '2023', value: '80' }, { year: '2024', value: '74' }, { year: '2025', value: '68' }, { year: '', value: '' }] }],
  facility: { amount: '50,000,000.00', start_date: '2023-07-01', tenor_months: '36', repayment: 'equal_principal', payment_frequency: 'quarterly', subsidy_rate_bp: '', subsidy_end_date: '' },
});

test('quote body for Appendix A', () => {
  assert.deepEqual(quoteRequest(appendixA()), {
    borrower: { name: '湖州某化纤有限公司', uscc: '91350100M000100Y43', industry_code: 'C2822', just_transition_score: 72, credit_rating: 'AA', esg_score: 70, carbon_efficiency_grade: 3 },
    pathway_id: 'C28-P01',
    kpis: [{ metric_id: 'pet_fdy_energy', baseline: { year: 2022, value: '88' }, targets: [{ year: 2023, value: '80' }, { year: 2024, value: '74' }, { year: 2025, value: '68' }] }],
    facility: { amount: '50000000.00', currency: 'CNY', start_date: '2023-07-01', tenor_months: 36, repayment: 'equal_principal', payment_frequency: 'quarterly' },
  });
});

test('decimals stay strings; optional fields only when given', () => {
  const f = appendixA();
  f.borrower.carbon_efficiency_grade = '';
  f.borrower.just_transition_score = '';
  f.borrower.obsolete_capacity = true;
  f.facility.subsidy_rate_bp = '100';
  f.facility.subsidy_end_date = '2024-07-01';
  f.kpis[0].step_down_bp = '12.5';
  const q = quoteRequest(f);
  assert.equal(q.borrower.carbon_efficiency_grade, undefined);
  assert.equal(q.borrower.just_transition_score, undefined);
  assert.equal(q.borrower.obsolete_capacity, true);
  assert.deepEqual(q.facility.subsidy, { rate_bp: '100', end_date: '2024-07-01' });
  assert.equal(q.kpis[0].step_down_bp, '12.5');
  assert.equal(typeof q.kpis[0].baseline.value, 'string');
  // A non-integer where an integer is due goes through as typed, for the
  // server to name the field in its 400.
  f.facility.tenor_months = '3x';
  assert.equal(quoteRequest(f).facility.tenor_months, '3x');
});

test('eligibility body has no pricing fields; flags only when ticked', () => {
  const e = eligibilityRequest(appendixA());
  assert.deepEqual(Object.keys(e.borrower).sort(), ['industry_code', 'just_transition_score', 'name', 'uscc']);
  assert.equal('facility' in e, false);
  assert.deepEqual(BORROWER_FLAGS, ['obsolete_capacity', 'new_capacity']);
  assert.equal('new_capacity' in e.borrower, false); // sent only when ticked (absent means false)
});

test('booking and attestation bodies', () => {
  assert.deepEqual(bookingRequest('Q-1', ' HZ-1 '), { quote_id: 'Q-1', external_ref: 'HZ-1' });
  assert.deepEqual(bookingRequest('Q-1', ''), { quote_id: 'Q-1' });
  const hash = 'ab'.repeat(32);
  assert.deepEqual(attestationRequest({ metric_id: 'pet_fdy_energy', year: '2023', value: '79', accepted_on: '', verifier_name: '浙江某认证有限公司', accreditation: 'CNAS C001-M' }, hash),
    { metric_id: 'pet_fdy_energy', year: 2023, value: '79', verifier: { name: '浙江某认证有限公司', accreditation: 'CNAS C001-M' }, evidence_sha256: hash });
});

test('scenarios: grid, projections and Monte Carlo', () => {
  const names = { grid: 'g', all_met: 'a', none_met: 'n', monte_carlo: 'm' };
  const s = scenarios({
    grid: { pet_fdy_energy: { 2023: 'met', 2024: '', 2025: 'missed' } },
    lpr_path: [{ effective_date: '2024-06-20', one_year: '3.30', five_year: '3.80' }, { effective_date: '', one_year: '', five_year: '' }],
    report_lag_days: '60',
    monte_carlo: { runs: '500', seed: '7', kpis: { pet_fdy_energy: { mean: '-5', sd: '3' } } },
  }, names);
  assert.deepEqual(s, [
    { name: 'g', outcomes: { pet_fdy_energy: { 2023: 'met', 2025: 'missed' } }, lpr_path: [{ effective_date: '2024-06-20', one_year: '3.30', five_year: '3.80' }], report_lag_days: 60 },
    { name: 'a', projection: 'all_met' },
    { name: 'n', projection: 'none_met' },
    { name: 'm', monte_carlo: { runs: 500, seed: 7, kpis: { pet_fdy_energy: { annual_change_pct_mean: '-5', annual_change_pct_sd: '3' } } }, lpr_path: [{ effective_date: '2024-06-20', one_year: '3.30', five_year: '3.80' }] },
  ]);
  assert.equal(scenarios({ grid: {}, monte_carlo: { runs: '0' } }, names).length, 3);
});

test('CSV for Excel: one BOM, CRLF', () => {
  assert.equal(withBOM('a,b\n1,2\n'), '\uFEFFa,b\r\n1,2\r\n');
  assert.equal(withBOM('\uFEFFa\r\n'), '\uFEFFa\r\n');
});
