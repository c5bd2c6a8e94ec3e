package loanbook

import "strings"

// attestationScope is the idempotency scope of a loan's attestations.
const attestationScope = "attestation:"

// AttestationKey is the idempotency record key of an attestation posted
// for loanID with the Idempotency-Key key: the scope, the loan and the
// client's key, NUL-separated (a header value cannot hold a NUL).
func AttestationKey(loanID, key string) string {
	return attestationScope + loanID + "\x00" + key
}

// AttestedLoan returns the loan an idempotency record key made by
// AttestationKey names, and false for any other key. A store may use it to
// read ahead what an attestation of that loan will ask for.
func AttestedLoan(key string) (loanID string, ok bool) {
	rest, ok := strings.CutPrefix(key, attestationScope)
	if !ok {
		return "", false
	}
	loanID, _, ok = strings.Cut(rest, "\x00")
	return loanID, ok
}
