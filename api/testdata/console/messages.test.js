// Every message exists in both languages, English has no Chinese left in
// it, Chinese labels are Chinese, and every key the code uses is defined.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { en, zh } from './messages.js';
import { BORROWER_FLAGS } from './request.js';

const han = /\p{Script=Han}/u;

test('same keys in zh and en', () => {
  assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort());
});

test('English is English, Chinese is Chinese', () => {
  for (const [k, v] of Object.entries(en)) assert.ok(!han.test(v), `en ${k}: ${v}`);
  for (const [k, v] of Object.entries(zh)) assert.ok(han.test(v), `zh ${k}: ${v}`);
});

test('every key the code uses is defined', () => {
  const used = new Set();
  for (const f of readdirSync('.').filter((f) => f.endsWith('.js') && !f.endsWith('.test.js') && f !== 'messages.js')) {
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(/'((?:app|signin|nav|role|form|borrower|flag|uscc|pathway|kind|kpi|dir|facility|repayment|freq|quote|elig|status|rule|tier|rate|proj|sched|chart|book|loans|page|loan|outcome|att|sim|lpr|dec|audit|op|err|prop)\.[a-z_.0-9]+)'/g)) used.add(m[1]);
    for (const m of src.matchAll(/'(yes|no)'/g)) used.add(m[1]);
  }
  const families = {
    rule: ['industry_covered', 'pathway_in_industry', 'core_kpi_present', 'no_obsolete_capacity', 'reaches_baseline_level', 'reaches_baseline_in_time', 'ambition', 'just_transition', 'new_capacity_at_benchmark'],
    role: ['officer', 'analyst', 'verifier', 'auditor', 'admin', 'approver'],
    status: ['pass', 'fail', 'skipped'],
    tier: ['leading', 'advancing', 'transitioning', 'ineligible'],
    outcome: ['met', 'missed', 'pending', 'not_reported'],
    'kind.d': ['quote', 'booking', 'attestation', 'correction', 'repricing', 'sweep', 'catalogue_load', 'policy_load', 'simulation'],
    kind: ['energy_efficiency', 'fuel_switch', 'feedstock_substitution', 'process_upgrade', 'circular', 'digital_energy_management'],
    dir: ['lower_is_better', 'higher_is_better'],
    freq: ['monthly', 'quarterly', 'semiannual', 'annual'],
    repayment: ['equal_principal', 'bullet'],
    att: ['on_time', 'late', 'correction'],
    uscc: ['required', 'length', 'lower_case', 'character', 'division', 'check_character'],
    flag: [...BORROWER_FLAGS, 'new_capacity'],
    nav: ['quote', 'loans', 'scenarios', 'attest', 'decisions', 'audit', 'operator', 'approvals', 'proposals', 'propose'],
    'prop.kind': ['amendment', 'declassification', 'lpr_fixing'],
    'prop.status': ['pending', 'approved', 'rejected', 'expired'],
    proj: ['current', 'all_met', 'none_met'],
    sim: ['mean', 'p5', 'p50', 'p95'],
  };
  for (const [fam, names] of Object.entries(families)) for (const n of names) used.add(`${fam}.${n}`);
  const missing = [...used].filter((k) => !(k in zh) || !(k in en)).filter((k) => !/\.(js|json|csv|db)$/.test(k));
  assert.deepEqual(missing, []);
});
