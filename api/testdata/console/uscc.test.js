// Unit tests of uscc.js, the GB 32100-2015 check. Check characters were
// worked independently (Python: C = 31 − Σ value·weight mod 31, 31 → '0'):
// 91350100M000100Y4 → 3, 91330500MA2B3C4D5 → B, 12330000470000000 → 5,
// 00000000000000000 → 0 (sum 0: the 31 → '0' wrap), 10000000000000000 → Y
// (sum 1: c = 30, the last character of the alphabet).
import test from 'node:test';
import assert from 'node:assert/strict';
import { checkCharacter, validate } from './uscc.js';

test('check character', () => {
  assert.equal(checkCharacter('91350100M000100Y4'), '3');
  assert.equal(checkCharacter('91330500MA2B3C4D5'), 'B');
  assert.equal(checkCharacter('12330000470000000'), '5');
  assert.equal(checkCharacter('00000000000000000'), '0');
  assert.equal(checkCharacter('10000000000000000'), 'Y');
});

test('valid codes', () => {
  for (const s of ['91350100M000100Y43', '91330500MA2B3C4D5B', '123300004700000005', '000000000000000000', '10000000000000000Y']) {
    assert.equal(validate(s), null, s);
  }
});

test('each mistake named like the server names it', () => {
  assert.deepEqual(validate(''), { code: 'required' });
  assert.deepEqual(validate('91350100M000100Y4'), { code: 'length', length: 17 });
  assert.deepEqual(validate('91350100M000100Y433'), { code: 'length', length: 19 });
  assert.deepEqual(validate('91350100m000100Y43'), { code: 'lower_case', position: 9 });
  assert.deepEqual(validate('91350100I000100Y43'), { code: 'character', position: 9 });
  assert.deepEqual(validate('9135010中M000100Y43'), { code: 'character', position: 8 }); // 18 characters, one not ASCII
  assert.deepEqual(validate('91A50100M000100Y43'), { code: 'division', position: 3 });
  assert.deepEqual(validate('91350100M000100Y44'), { code: 'check_character', expected: '3' });
  assert.deepEqual(validate('91350100M000100Y4Y'), { code: 'check_character', expected: '3' });
});
