package boltstore

import (
	"context"
	"crypto/ed25519"
	"encoding/binary"
	"fmt"
	"io"

	bolt "go.etcd.io/bbolt"

	"tfpricing/pricing/audit"
	"tfpricing/pricing/storedfmt"
)

// verifyBatch is how many decision records VerifyChain reads in one read
// transaction: a long-lived read transaction would hold back the writers'
// remapping of a growing file, so a million records are read in a hundred
// short ones. A variable so that tests can cross batch boundaries cheaply.
var verifyBatch = 10_000

// VerifyChain walks the decision chain from record 1 to the end in bounded
// read transactions (verifyBatch records each) and reports the first broken
// link (pricing.ChainVerifier). Each pin is a signed checkpoint, verified
// with pub, whose record must still have the signed hash: that is what
// catches a history rewritten and rehashed after the checkpoint. A pin
// whose signature does not verify is an EUNPROCESSABLE error.
//
// Beyond the chain itself it checks the store's own bookkeeping: every
// record is stored under the key of its sequence number, and the chain head
// kept in meta/ is the last record, as read in the same transaction — so a
// record removed from the end, or the last record replaced and rehashed, is
// caught without a checkpoint. Records appended while it runs are verified
// too, up to the head it finds in its last transaction.
//
// ctx is checked between transactions; an error reading the file is
// returned as is, with the report so far (failing to read is not evidence
// of tampering).
func (s *Store) VerifyChain(ctx context.Context, pins []audit.Checkpoint, pub ed25519.PublicKey) (audit.ChainReport, error) {
	v := audit.NewChainVerifier()
	for _, cp := range pins {
		if err := v.Pin(cp, pub); err != nil {
			return audit.ChainReport{}, err
		}
	}
	var broken *audit.ChainReport // a break the verifier cannot see
	for first := true; ; first = false {
		if err := ctx.Err(); err != nil {
			return v.Report(), err
		}
		end := false
		err := s.db.View(func(tx *bolt.Tx) error {
			c := tx.Bucket(bucketDecisions).Cursor()
			k, val := c.Seek(itob(v.Next()))
			if first {
				k, val = c.First() // a record under key 0 must be seen too
			}
			// Stored values (of this transaction's mmap) are decompressed
			// and verified storedfmt.VerifyChunk at a time, so the canonical
			// bytes held at once stay bounded.
			pending := make([][]byte, 0, min(verifyBatch, storedfmt.VerifyChunk))
			var misplaced []byte // the first record not under the key of its place
			for n := 0; k != nil && n < verifyBatch; k, val = c.Next() {
				if len(k) != 8 || binary.BigEndian.Uint64(k) != v.Next()+uint64(len(pending)) {
					misplaced = storedfmt.DecisionOrStored(val)
					break
				}
				pending, n = append(pending, val), n+1
				if len(pending) == cap(pending) {
					if !v.AddRecords(storedfmt.DecisionsOrStored(pending)) {
						return nil
					}
					pending = pending[:0]
				}
			}
			if !v.AddRecords(storedfmt.DecisionsOrStored(pending)) {
				return nil
			}
			if misplaced != nil {
				before := v.Report().Head
				if v.AddRecord(misplaced) {
					// The record is the expected one, but stored under another key.
					broken = audit.BrokenAt(before, before.Seq+1, fmt.Sprintf(
						"record %d is stored under the key of record %s: the records were renumbered", before.Seq+1, keyText(k)))
				}
				return nil
			}
			if k != nil {
				return nil // a full batch: go on in a new transaction
			}
			end = true
			broken = audit.CheckHead(&txn{tx: tx}, v.Report(), "the data file")
			return nil
		})
		if err != nil {
			return v.Report(), err
		}
		if broken != nil {
			return *broken, nil
		}
		if end || v.Broken() {
			return v.Report(), nil
		}
	}
}

func keyText(k []byte) string {
	if len(k) != 8 {
		return fmt.Sprintf("%x (not a sequence number)", k)
	}
	return fmt.Sprint(binary.BigEndian.Uint64(k))
}

// Backup writes a consistent snapshot of the whole data file to w (bbolt's
// Tx.WriteTo inside one read transaction) and returns the bytes written.
// Writers carry on meanwhile; the snapshot is the file as of the start. The
// result opens as a data file, read-only for the audit tools or as the
// service's own after a restore.
//
// A writer with a SetSize(int64) method is told the snapshot's size before
// the first byte (an HTTP response sends it as Content-Length).
func (s *Store) Backup(w io.Writer) (int64, error) {
	var n int64
	err := s.db.View(func(tx *bolt.Tx) error {
		if sz, ok := w.(interface{ SetSize(int64) }); ok {
			sz.SetSize(tx.Size()) // exactly what WriteTo writes
		}
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	return n, err
}

// DecisionRecord returns the canonical bytes of decision seq as stored
// (decompressed), or the stored bytes exactly as they are when they do not
// decompress; ENOTFOUND when there is none.
func (s *Store) DecisionRecord(seq uint64) ([]byte, error) {
	var out []byte
	err := s.db.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucketDecisions).Get(itob(seq)); v != nil {
			out = storedfmt.DecisionOrStored(v)
			return nil
		}
		return notFound(fmt.Sprintf("decision %d", seq))
	})
	return out, err
}
