package boltstore

import (
	"bytes"
	"fmt"
	"math"

	"tfpricing/pricing"
	"tfpricing/pricing/loanbook"
	"tfpricing/pricing/storedfmt"
)

// LoanSince implements loanbook.LoanTx: the lifecycle, the schedule state
// and the attestations keyed after loan key || afterSeq, without decoding
// the loan record.
func (t *txn) LoanSince(id string, afterSeq uint64) (loanbook.LoanChanges, error) {
	var out loanbook.LoanChanges
	key, err := t.loanKey(id)
	if err != nil {
		return out, err
	}
	if t.tx.Bucket(bucketLoans).Get(key) == nil {
		return out, notFound("loan " + id)
	}
	if out.Lifecycle, err = t.lifecycle(id, key); err != nil {
		return out, err
	}
	if out.State, err = get(t.tx.Bucket(bucketSchedules), key, "schedule of loan "+id, storedfmt.ReadSchedule); err != nil {
		return out, err
	}
	out.Attestations, err = t.attestationsAfter(key, afterSeq)
	return out, err
}

// attestationsAfter decodes the attestations of the loan with key lk whose
// sequence follows after, in sequence order.
func (t *txn) attestationsAfter(lk []byte, after uint64) ([]pricing.Attestation, error) {
	var out []pricing.Attestation
	if after == math.MaxUint64 {
		return out, nil
	}
	c := t.tx.Bucket(bucketAttestations).Cursor()
	for k, v := c.Seek(append(lk[:len(lk):len(lk)], itob(after+1)...)); k != nil && bytes.HasPrefix(k, lk); k, v = c.Next() {
		a, err := storedfmt.ReadAttestation(v)
		if err != nil {
			return nil, fmt.Errorf("boltstore: attestation %x: %w", k, err)
		}
		out = append(out, a)
	}
	return out, nil
}
