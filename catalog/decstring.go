package catalog

import (
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// decString is v.String() for the rule messages, without math/big's
// digit conversion when the coefficient fits an int64 (every value a plan
// carries in practice): formatting the decimals of the messages was a
// quarter of an assessment's instructions. The layout mirrors
// Decimal.string (shopspring/decimal v1.6.0): the coefficient's digits with
// the point put in, trailing fraction zeros trimmed.
// TestDecStringMatchesString holds it to Decimal.String on random values.
func decString(v decimal.Decimal) string {
	exp := v.Exponent()
	if exp > 0 || !decimal.TrimTrailingZeros || decimal.UseScientificNotation {
		return v.String()
	}
	c := v.Coefficient()
	if !c.IsInt64() {
		return v.String()
	}
	n := c.Int64()
	if exp == 0 {
		return strconv.FormatInt(n, 10)
	}
	var buf [24]byte
	str := strconv.AppendInt(buf[:0], n, 10)
	neg := str[0] == '-'
	if neg {
		str = str[1:]
	}
	var intPart, fraction []byte
	leadingZeros := 0
	if len(str) > -int(exp) {
		intPart, fraction = str[:len(str)+int(exp)], str[len(str)+int(exp):]
	} else {
		intPart, fraction = []byte{'0'}, str
		leadingZeros = -int(exp) - len(str)
	}
	i := len(fraction) - 1
	for i >= 0 && fraction[i] == '0' {
		i--
	}
	fraction = fraction[:i+1]
	if len(fraction) == 0 {
		leadingZeros = 0
	}
	var b strings.Builder
	b.Grow(1 + len(intPart) + 1 + leadingZeros + len(fraction))
	if neg {
		b.WriteByte('-')
	}
	b.Write(intPart)
	if leadingZeros+len(fraction) > 0 {
		b.WriteByte('.')
		for range leadingZeros {
			b.WriteByte('0')
		}
		b.Write(fraction)
	}
	return b.String()
}

// kpiPath is fmt.Sprintf("kpis[%d]", i) and targetPath is
// fmt.Sprintf("%s.targets[%d]", path, j), without fmt: Plan.Validate
// builds them for every KPI and target of a clean plan too.
// TestPathsMatchSprintf holds them to the Sprintf forms.
func kpiPath(i int) string { return "kpis[" + strconv.Itoa(i) + "]" }

func targetPath(path string, j int) string { return path + ".targets[" + strconv.Itoa(j) + "]" }
