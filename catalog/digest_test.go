package catalog_test

import (
	"testing"

	"github.com/shopspring/decimal"
)

// The catalogue digest is recorded in every decision, so it must depend on
// the document alone: not on shopspring/decimal's package-level formatting
// switches, which Decimal.String follows. The shipped catalogue's levels
// include trailing-zero-free and fractional values ("0.35", "85"), so a
// digest that went through String would change with TrimTrailingZeros.
func TestCatalogueDigestIgnoresDecimalSettings(t *testing.T) {
	want := shipped(t).Digest
	trim, sci := decimal.TrimTrailingZeros, decimal.UseScientificNotation
	t.Cleanup(func() { decimal.TrimTrailingZeros, decimal.UseScientificNotation = trim, sci })
	decimal.TrimTrailingZeros, decimal.UseScientificNotation = false, true
	if got := shipped(t).Digest; got != want {
		t.Errorf("digest with other decimal settings %s, want %s", got, want)
	}
}
