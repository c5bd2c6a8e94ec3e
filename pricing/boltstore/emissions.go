package boltstore

import (
	"bytes"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/audit"
)

// bucketEmissions holds borrowers' emissions attestations under
// USCC 0x00 seq (8 bytes, big-endian), each the record of
// audit.EncodeEmissions. Files made before it have no such bucket until
// opened for writing; reads treat it as empty.
var bucketEmissions = []byte("emissions")

func emissionsPrefix(uscc string) []byte { return append([]byte(uscc), 0) }

// PutEmissions implements loanbook.EmissionsTx.
func (t *txn) PutEmissions(e pricing.Emissions) error {
	b := t.tx.Bucket(bucketEmissions)
	if b == nil {
		return tfpricing.Errorf(tfpricing.EUNAVAILABLE, "the data file has no emissions bucket")
	}
	key := append(emissionsPrefix(e.USCC), itob(e.Seq)...)
	if b.Get(key) != nil {
		return tfpricing.Errorf(tfpricing.ECONFLICT, "borrower %s already has emissions with sequence %d", e.USCC, e.Seq)
	}
	rec, err := audit.EncodeEmissions(e)
	if err != nil {
		return err
	}
	return b.Put(key, rec)
}

// Emissions implements loanbook.EmissionsTx.
func (t *txn) Emissions(uscc string) ([]pricing.Emissions, error) {
	b := t.tx.Bucket(bucketEmissions)
	if b == nil {
		return nil, nil
	}
	return readEmissions(b, emissionsPrefix(uscc))
}

func readEmissions(b *bolt.Bucket, prefix []byte) ([]pricing.Emissions, error) {
	var out []pricing.Emissions
	c := b.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		e, err := audit.DecodeEmissions(v)
		if err != nil {
			return nil, fmt.Errorf("boltstore: emissions %x: %w", k, err)
		}
		out = append(out, e)
	}
	return out, nil
}
