// The loan list's filters as GET /v1/loans query parameters.
import test from 'node:test';
import assert from 'node:assert/strict';
import { listQuery } from './loans.js';

const base = { cursors: [''], page: 0, filter: 'local only', status: 'true', industry: '', tier: '', pathway_id: '', external_ref: '' };

test('no filter: the limit only, and the quick search and status stay in the page', () => {
  assert.deepEqual(listQuery(base), { limit: 20 });
});

test('filters trimmed, the industry upper-cased, the page cursor sent', () => {
  const l = { ...base, cursors: ['', 'TC0wMDAwMDAyMA'], page: 1, industry: ' c28 ', tier: 'advancing', pathway_id: ' C28-P01', external_ref: ' HZ-2026-001 ' };
  assert.deepEqual(listQuery(l, 5),
    { limit: 5, cursor: 'TC0wMDAwMDAyMA', industry: 'C28', tier: 'advancing', pathway_id: 'C28-P01', external_ref: 'HZ-2026-001' });
});

test('blank filters are left out', () => {
  assert.deepEqual(listQuery({ ...base, industry: '  ', external_ref: ' ' }), { limit: 20 });
});
