// What an amendment would change, as the approver's queue shows it.
import test from 'node:test';
import assert from 'node:assert/strict';
import { amendmentDiff } from './approver.js';

const kpi = (metric_id, base, targets, extra = {}) => ({
  metric_id, baseline: { year: 2025, value: base },
  targets: Object.entries(targets).map(([year, value]) => ({ year: Number(year), value })), ...extra,
});

test('a restated baseline and a changed target are the only rows', () => {
  const rows = amendmentDiff([kpi('pet_fdy_energy', '88', { 2026: '82', 2027: '76' })],
    [kpi('pet_fdy_energy', '82', { 2026: '82', 2027: '75.0' })]);
  assert.deepEqual(rows, [['pet_fdy_energy', 'baseline 2025', '88', '82'], ['pet_fdy_energy', 'target 2027', '76', '75.0']]);
});

test('equal decimals written differently do not count as changes', () => {
  assert.deepEqual(amendmentDiff([kpi('a', '1.50', { 2026: '1.4' })], [kpi('a', '1.5', { 2026: '1.40' })]), []);
});

test('added and removed KPIs, new years and step sizes', () => {
  const rows = amendmentDiff([kpi('a', '10', { 2026: '9' }), kpi('gone', '5', { 2026: '4' })],
    [kpi('a', '10', { 2026: '9', 2027: '8' }, { step_down_bp: '12.5' }), kpi('new', '3', { 2027: '2' })]);
  assert.deepEqual(rows, [
    ['a', 'target 2027', '—', '8'], ['a', 'step_down_bp', '—', '12.5'],
    ['gone', 'baseline 2025', '5', '—'], ['gone', 'target 2026', '4', '—'],
    ['new', 'baseline 2025', '—', '3'], ['new', 'target 2027', '—', '2'],
  ]);
});

test('the officer edits a plan KPI as an amendment states it', async () => {
  const { editableKPIs } = await import('./propose.js');
  const plan = [{ metric_id: 'pet_fdy_energy', name: 'PET FDY', unit: 'kgce/t', direction: 'lower_is_better', custom: false,
    baseline: { year: 2025, value: '88' }, targets: [{ year: 2026, value: '82' }], step_down_bp: null, step_up_bp: '7.5' },
  { metric_id: 'water', name: 'Water', unit: 't', direction: 'higher_is_better', custom: true,
    baseline: { year: 2025, value: '40' }, targets: [{ year: 2026, value: '45' }], step_down_bp: null, step_up_bp: null }];
  assert.deepEqual(editableKPIs(plan), [
    { metric_id: 'pet_fdy_energy', baseline: { year: 2025, value: '88' }, targets: [{ year: 2026, value: '82' }], step_up_bp: '7.5' },
    { metric_id: 'water', name: 'Water', unit: 't', direction: 'higher_is_better', baseline: { year: 2025, value: '40' },
      targets: [{ year: 2026, value: '45' }] },
  ]);
});
