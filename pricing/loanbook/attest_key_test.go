package loanbook_test

import (
	"testing"

	"tfpricing/pricing/loanbook"
)

// TestAttestedLoan: the loan comes back out of every key AttestationKey
// makes (a client key may itself hold the scope or a colon); any other key
// names no loan — another scope, the scope without the NUL that ends the
// loan, or nothing after the prefix.
func TestAttestedLoan(t *testing.T) {
	for _, c := range []struct{ loan, key string }{
		{"L-00000042", "k"}, {"L-00000001", ""}, {"L-00000007", "attestation:L-9\x00x"}, {"L-1", "a:b"},
	} {
		if got, ok := loanbook.AttestedLoan(loanbook.AttestationKey(c.loan, c.key)); !ok || got != c.loan {
			t.Errorf("AttestedLoan(AttestationKey(%q, %q)) = %q, %v", c.loan, c.key, got, ok)
		}
	}
	for _, key := range []string{"amendment:L-1\x00k", "attestation:L-1", "attestation", "Attestation:L-1\x00k", ""} {
		if got, ok := loanbook.AttestedLoan(key); ok {
			t.Errorf("AttestedLoan(%q) = %q, true; want none", key, got)
		}
	}
}
