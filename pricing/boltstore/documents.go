package boltstore

import (
	"bytes"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"tfpricing/pricing/audit"
)

// txn adapts a bbolt transaction to loanbook.Tx.
type txn struct {
	tx *bolt.Tx
}

func (t *txn) docBucket(kind audit.DocKind) (*bolt.Bucket, error) {
	b := t.tx.Bucket(bucketDocuments).Bucket([]byte(kind))
	if b == nil {
		return nil, fmt.Errorf("boltstore: unknown document kind %q", kind)
	}
	return b, nil
}

// PutDocument implements loanbook.Tx.
func (t *txn) PutDocument(kind audit.DocKind, digest string, canonical []byte) (bool, error) {
	b, err := t.docBucket(kind)
	if err != nil {
		return false, err
	}
	if old := b.Get([]byte(digest)); old != nil {
		if !bytes.Equal(old, canonical) {
			// Same digest, other bytes: either a hash collision or a bug in
			// canonicalisation. Never overwrite what decisions point to.
			return false, fmt.Errorf("boltstore: %s %s already stored with other content", kind, digest)
		}
		return false, nil
	}
	return true, b.Put([]byte(digest), canonical)
}

// Document implements loanbook.Tx.
func (t *txn) Document(kind audit.DocKind, digest string) ([]byte, error) {
	b, err := t.docBucket(kind)
	if err != nil {
		return nil, err
	}
	v := b.Get([]byte(digest))
	if v == nil {
		return nil, notFound(string(kind) + " " + digest)
	}
	return bytes.Clone(v), nil
}

// Documents implements loanbook.Tx.
func (t *txn) Documents(kind audit.DocKind) ([]string, error) {
	b, err := t.docBucket(kind)
	if err != nil {
		return nil, err
	}
	var out []string
	err = b.ForEach(func(k, _ []byte) error {
		out = append(out, string(k))
		return nil
	})
	return out, err
}
