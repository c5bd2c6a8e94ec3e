// Unit tests of format.js. Expected strings are worked by hand from the
// rules in DESIGN.md §4 (amounts 2 dp, rates 4 dp, half-up away from zero).
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fmt from './format.js';

test('money: thousands separators, 2 dp, half-up at the exact boundary', () => {
  assert.equal(fmt.money('50000000.00'), '50,000,000.00');
  assert.equal(fmt.money('3069861.11'), '3,069,861.11');
  assert.equal(fmt.money('491944.444'), '491,944.44'); // below half: down
  assert.equal(fmt.money('491944.445'), '491,944.45'); // exactly half: up
  assert.equal(fmt.money('491944.4449999'), '491,944.44');
  assert.equal(fmt.money('999.995'), '1,000.00'); // carry through the separator
  assert.equal(fmt.money('-0.005'), '-0.01'); // away from zero
  assert.equal(fmt.money('-0.004'), '0.00'); // no negative zero
  assert.equal(fmt.money('1234.5'), '1,234.50');
  assert.equal(fmt.money('0'), '0.00');
  assert.equal(fmt.money('999'), '999.00');
  assert.equal(fmt.money('1000'), '1,000.00');
  assert.equal(fmt.money(''), '');
  assert.equal(fmt.money('n/a'), 'n/a');
  // Beyond 2^53: strings never pass through a float.
  assert.equal(fmt.money('12345678901234567.89'), '12,345,678,901,234,567.89');
});

test('rate: 4 dp and %', () => {
  assert.equal(fmt.rate('3.85'), '3.8500%');
  assert.equal(fmt.rate('3.8500'), '3.8500%');
  assert.equal(fmt.rate('3.85005'), '3.8501%');
  assert.equal(fmt.rate('3.850049'), '3.8500%');
  assert.equal(fmt.rate('2.2'), '2.2000%');
});

test('bp: signed, exact, no trailing zeros', () => {
  assert.equal(fmt.bp('-20'), '-20 bp');
  assert.equal(fmt.bp('5'), '+5 bp');
  assert.equal(fmt.bp('0'), '0 bp');
  assert.equal(fmt.bp('-0.00'), '0 bp');
  assert.equal(fmt.bp('-12.50'), '-12.5 bp');
  assert.equal(fmt.bp('100'), '+100 bp');
});

test('share, date, timestamp', () => {
  assert.equal(fmt.share('0.8120'), '81.20%');
  assert.equal(fmt.share('1.0000'), '100.00%');
  assert.equal(fmt.share('0.0005'), '0.05%');
  assert.equal(fmt.share('0.0000'), '0.00%');
  assert.equal(fmt.date('2026-12-01'), '2026-12-01');
  assert.equal(fmt.date('2026-12-01T03:04:05Z'), '2026-12-01');
  assert.equal(fmt.timestamp('2026-12-01T03:04:05.123Z'), '2026-12-01 03:04:05 UTC');
});
