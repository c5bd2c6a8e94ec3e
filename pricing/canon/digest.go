package canon

import (
	"crypto/sha256"
	"encoding/hex"
)

// DigestPrefix starts every content digest the service writes.
const DigestPrefix = "sha256:"

// Digest returns "sha256:<lower-case hex>" of b: the digest of catalogue
// and policy documents and of a decision's outputs.
func Digest(b []byte) string {
	sum := sha256.Sum256(b)
	return DigestPrefix + hex.EncodeToString(sum[:])
}
