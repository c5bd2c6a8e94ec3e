// Which SPT the verifier's form picks from the loan's plan.
import test from 'node:test';
import assert from 'node:assert/strict';
import { pickSPT } from './verifier.js';

const spt = (metric_id, year, outcome) => ({ metric_id, year, target: '80', outcome });
const plan = [spt('pet_fdy_energy', 2023, 'met'), spt('pet_fdy_energy', 2024, 'pending'), spt('pet_fdy_energy', 2025, 'pending'),
  spt('water_reuse', 2024, 'missed')];

test('a chosen metric and year of the plan stay chosen, a determined year too (a correction)', () => {
  assert.deepEqual(pickSPT(plan, 'pet_fdy_energy', '2023'), { metric_id: 'pet_fdy_energy', year: '2023' });
  assert.deepEqual(pickSPT(plan, 'water_reuse', 2024), { metric_id: 'water_reuse', year: '2024' });
});

test('otherwise the first metric and its first pending year', () => {
  assert.deepEqual(pickSPT(plan, '', ''), { metric_id: 'pet_fdy_energy', year: '2024' });
  assert.deepEqual(pickSPT(plan, 'no_such_metric', '2023'), { metric_id: 'pet_fdy_energy', year: '2023' });
  assert.deepEqual(pickSPT(plan, 'water_reuse', '2023'), { metric_id: 'water_reuse', year: '2024' }); // none pending: the first
});

test('no plan loaded: nothing chosen', () => {
  assert.deepEqual(pickSPT([], 'pet_fdy_energy', '2023'), { metric_id: '', year: '' });
});
