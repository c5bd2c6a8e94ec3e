package audit

import (
	"crypto/sha256"
	"encoding"
	"encoding/hex"
	"fmt"

	"tfpricing/pricing"
)

// StatusHash is the status digest's SHA-256 state after the records of a
// schedule's first statuses: the digest of a loan's next schedule, whose
// statuses begin with those same ones (a new attestation usually sorts
// after every earlier one), continues from it instead of hashing the
// loan's whole history again (issue 18). Immutable once made.
type StatusHash struct {
	count int
	last  pricing.AttestationStatus // statuses[count-1]: a check that it is continued on the same list
	state []byte                    // the hash's marshalled state after "[" and count records
}

// HashStatuses returns the hash of statuses. When from is the hash of a
// list whose first kept statuses are statuses[:kept] in the same order —
// the caller's word, which pricing.RatchetState.Kept gives — and it covers
// no more than those, it continues from it; otherwise it hashes them all.
// Either way its Digest is the digest of statuses.
func HashStatuses(statuses []pricing.AttestationStatus, from *StatusHash, kept int) *StatusHash {
	h := sha256.New()
	n := 0
	if from != nil && from.count <= kept && kept <= len(statuses) &&
		(from.count == 0 || statuses[from.count-1] == from.last) {
		if err := h.(encoding.BinaryUnmarshaler).UnmarshalBinary(from.state); err != nil {
			panic(fmt.Sprintf("audit: a status hash's own state: %v", err)) // made by MarshalBinary below
		}
		n = from.count
	} else {
		h.Write([]byte{'['})
	}
	hashStatuses(h, statuses, n)
	state, err := h.(encoding.BinaryMarshaler).MarshalBinary()
	if err != nil {
		panic(fmt.Sprintf("audit: marshalling a SHA-256 state: %v", err)) // sha256 always can
	}
	out := &StatusHash{count: len(statuses), state: state}
	if len(statuses) > 0 {
		out.last = statuses[len(statuses)-1]
	}
	return out
}

// Count returns how many statuses h hashed (0 for nil).
func (h *StatusHash) Count() int {
	if h == nil {
		return 0
	}
	return h.count
}

// Digest returns the hex SHA-256 of the JSON array of the statuses hashed:
// StatusDigest.Digest.
func (h *StatusHash) Digest() string {
	d := sha256.New()
	if err := d.(encoding.BinaryUnmarshaler).UnmarshalBinary(h.state); err != nil {
		panic(fmt.Sprintf("audit: a status hash's own state: %v", err))
	}
	d.Write([]byte{']'})
	return hex.EncodeToString(d.Sum(nil))
}

// of reports whether h (nil: no) is the hash of statuses as far as can be
// checked without hashing them: their number and the last one.
func (h *StatusHash) of(statuses []pricing.AttestationStatus) bool {
	return h != nil && h.count == len(statuses) && (h.count == 0 || statuses[h.count-1] == h.last)
}
