package pricing

import "fmt"

// AttestationID is the id of the attestation with arrival sequence seq.
func AttestationID(seq uint64) string { return fmt.Sprintf("A-%08d", seq) }
