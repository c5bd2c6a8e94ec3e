package audit

import "hash/crc32"

// knownCanonical is what this package knows of the canonical Inputs and
// Outputs as a constructor or decoder produced them: their lengths and
// CRC-32C checksums. Seal trusts Inputs and Outputs that still have them
// instead of parsing them again, which is most of the cost of recording a
// decision. digest, when set, is the outputs' digest, taken when they were
// made, so that sealing (inside the store's single write transaction) does
// not hash them again. Never modified once made; copies of a Decision
// share it. (It held copies of both, compared byte for byte: two 33 KB
// allocations and copies a quote. A checksum notices a change made in
// place as surely for any change of up to 32 bits, without them.)
type knownCanonical struct {
	inLen, outLen int
	inSum, outSum uint32
	digest        string
}

// newKnown is the knownCanonical of in and out.
func newKnown(in, out []byte, digest string) *knownCanonical {
	return &knownCanonical{inLen: len(in), outLen: len(out), inSum: checksum(in), outSum: checksum(out), digest: digest}
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// checksum is the CRC-32C of b (SSE 4.2's instruction, ≈ 1 µs for a quote's
// outputs).
func checksum(b []byte) uint32 { return crc32.Checksum(b, castagnoli) }

func (d Decision) inputsCanonical() bool {
	return d.known != nil && d.known.inLen > 0 && len(d.Inputs) == d.known.inLen && checksum(d.Inputs) == d.known.inSum
}

func (d Decision) outputsCanonical() bool {
	return d.known != nil && d.known.outLen > 0 && len(d.Outputs) == d.known.outLen && checksum(d.Outputs) == d.known.outSum
}
