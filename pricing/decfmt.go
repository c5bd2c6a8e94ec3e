package pricing

import (
	"github.com/shopspring/decimal"
)

// Every rate, amount and bp the service writes goes through stringFixed:
// a quote writes about 500 of them and a loan decision about 200, and
// Decimal.StringFixed formats through math/big (Round, then big.Int.Text),
// which the quote profile showed at 15 % of server CPU. Nearly every value
// a schedule holds has a coefficient of at most 17 digits, so it is
// written with integer arithmetic here; anything else, and any value that
// would need rounding, takes StringFixed itself. The two agree byte for
// byte (TestStringFixedMatchesDecimal compares them on random values).

// fastDigits bounds the digits of a scaled coefficient written without
// math/big: 10^18 < 2^63, so no int64 arithmetic below can overflow.
const fastDigits = 18

// pow10Int64 holds 10^0 … 10^18.
var pow10Int64 = func() (p [fastDigits + 1]int64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// stringFixed is d.StringFixed(places).
func stringFixed(d decimal.Decimal, places int32) string {
	var buf [40]byte
	if b, ok := appendFixed(buf[:0], d, places); ok {
		return string(b)
	}
	return d.StringFixed(places)
}

// appendFixed appends d with exactly places decimals when that needs no
// rounding and the scaled coefficient fits in fastDigits digits; ok is false
// (and dst unchanged) otherwise.
func appendFixed(dst []byte, d decimal.Decimal, places int32) ([]byte, bool) {
	digits := d.NumDigits()
	if places < 0 || places > fastDigits || digits > fastDigits {
		return dst, false
	}
	c, exp := d.CoefficientInt64(), d.Exponent()
	if exp < -places {
		// More decimals than places: exact only when the extra ones are
		// zeros (3.850000 for a rate); anything else rounds.
		k := -places - exp
		if k > fastDigits || c%pow10Int64[k] != 0 {
			return dst, false
		}
		c /= pow10Int64[k]
	} else {
		shift := int(exp + places) // zeros to append to the coefficient
		if shift > fastDigits || digits+shift > fastDigits {
			return dst, false
		}
		c *= pow10Int64[shift] // exact: at most 18 digits
	}
	neg := c < 0
	u := uint64(c)
	if neg {
		u = uint64(-c) // c > -10^18: no overflow
	}
	// Digits from the last: places decimals (zeros included), the point,
	// then the integer part, at least "0". At most 18 digits, a point and
	// a sign.
	var buf [24]byte
	i := len(buf)
	for range places {
		i--
		buf[i] = byte('0' + u%10)
		u /= 10
	}
	if places > 0 {
		i--
		buf[i] = '.'
	}
	for {
		i--
		buf[i] = byte('0' + u%10)
		if u /= 10; u == 0 {
			break
		}
	}
	if neg { // StringFixed never writes "-0.00": c is not 0 here
		i--
		buf[i] = '-'
	}
	return append(dst, buf[i:]...), true
}

// AppendFixed appends d.StringFixed(places) to dst, without math/big
// whenever it can be.
func AppendFixed(dst []byte, d decimal.Decimal, places int32) []byte {
	if b, ok := appendFixed(dst, d, places); ok {
		return b
	}
	return append(dst, d.StringFixed(places)...)
}

// AppendNormal appends NormalString(d) (FormatBp) to dst: d with its own
// decimals, then canon.TrimDecimal's trailing fractional zeros and bare
// point removed, without a string in between.
func AppendNormal(dst []byte, d decimal.Decimal) []byte {
	start := len(dst)
	dst = AppendFixed(dst, d, max(0, -d.Exponent()))
	for i := start; i < len(dst); i++ {
		if dst[i] == '.' {
			for dst[len(dst)-1] == '0' {
				dst = dst[:len(dst)-1]
			}
			if dst[len(dst)-1] == '.' {
				dst = dst[:len(dst)-1]
			}
			break
		}
	}
	return dst
}

// FixedString is d.StringFixed(places), written without math/big whenever
// it can be: the form every stored rate, amount and bp takes.
func FixedString(d decimal.Decimal, places int32) string { return stringFixed(d, places) }

// NormalString is d with exactly its own decimals, trailing fractional
// zeros removed: the form documents and records are digested in.
func NormalString(d decimal.Decimal) string { return normDec(d) }

// ParseDecimal parses a decimal that canon.IsPlainDecimal accepts.
func ParseDecimal(s string) (decimal.Decimal, error) { return parseDecimal(s) }
