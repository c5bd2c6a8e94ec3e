// The unified social credit code (统一社会信用代码, GB 32100-2015), checked
// as it is typed with the same algorithm as the server (catalog/identifiers.go).

// CHARSET is the code alphabet: digits and capitals without I, O, S, V, Z.
// A character's index is its value in the check computation.
export const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

// WEIGHTS are 3^(i−1) mod 31 for positions 1–17.
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

// checkCharacter computes the 18th character from the first 17:
// C = 31 − (Σ value·weight mod 31), with 31 written as '0'.
export function checkCharacter(first17) {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CHARSET.indexOf(first17[i]) * WEIGHTS[i];
  const c = 31 - (sum % 31);
  return CHARSET[c === 31 ? 0 : c];
}

// validate returns null for a valid code, else {code, position?, expected?}
// with the same codes as the server: required, length, lower_case,
// character, division, check_character.
export function validate(s) {
  if (!s) return { code: 'required' };
  const chars = Array.from(s);
  if (chars.length !== 18) return { code: 'length', length: chars.length };
  for (let i = 0; i < 18; i++) {
    if (chars[i] >= 'a' && chars[i] <= 'z') return { code: 'lower_case', position: i + 1 };
  }
  for (let i = 0; i < 18; i++) {
    if (CHARSET.indexOf(chars[i]) < 0 || chars[i].length !== 1) return { code: 'character', position: i + 1 };
  }
  for (let i = 2; i < 8; i++) {
    if (s[i] < '0' || s[i] > '9') return { code: 'division', position: i + 1 };
  }
  const want = checkCharacter(s.slice(0, 17));
  if (s[17] !== want) return { code: 'check_character', expected: want };
  return null;
}
