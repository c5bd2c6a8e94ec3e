package canon

import "strings"

// MaxDecimalLen bounds a plain decimal's length: enough for any amount,
// rate or level the service handles, small enough that arithmetic on a
// hostile document or request stays cheap.
const MaxDecimalLen = 40

// IsPlainDecimal is the one rule for a decimal the service reads, from a
// client, a configuration file or a stored record: an optional '-', one or
// more digits, and optionally a '.' followed by one or more digits, at most
// MaxDecimalLen characters in all. Exponents ("1e9"), a leading '+', and
// bare points (".5", "5.") are refused, so what is written is exactly the
// value used.
func IsPlainDecimal(s string) bool {
	if len(s) > MaxDecimalLen {
		return false
	}
	s = strings.TrimPrefix(s, "-")
	whole, frac, hasPoint := strings.Cut(s, ".")
	return allDigits(whole) && (!hasPoint || allDigits(frac))
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// TrimDecimal is the normal form of a plain decimal written with a fixed
// number of places: trailing fractional zeros and a bare point removed
// ("85.50" → "85.5", "85.00" → "85", "0.0" → "0"). Documents are digested
// in this form, so "85.0" and "85" are the same level.
func TrimDecimal(fixed string) string {
	if !strings.Contains(fixed, ".") {
		return fixed
	}
	return strings.TrimRight(strings.TrimRight(fixed, "0"), ".")
}
