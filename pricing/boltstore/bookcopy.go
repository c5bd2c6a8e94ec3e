package boltstore

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	bolt "go.etcd.io/bbolt"

	"tfpricing/pricing/audit"
	"tfpricing/pricing/bookcopy"
	"tfpricing/pricing/loanbook"
	"tfpricing/pricing/storedfmt"
)

// bookTxn is a txn with the listings and raw writes of a whole-book copy
// (package bookcopy): "tfpricing migrate" reads a file through it, and
// "tfpricing backup" over PostgreSQL writes a new file through it.
type bookTxn struct{ txn }

// ExportBook runs fn on a read transaction of the whole book.
func (s *Store) ExportBook(ctx context.Context, fn func(bookcopy.Source) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.db.View(func(tx *bolt.Tx) error { return fn(&bookTxn{txn{tx: tx}}) })
}

// ImportBook runs fn on one write transaction, outside group commit: for
// a new file that no service holds.
func (s *Store) ImportBook(ctx context.Context, fn func(bookcopy.Sink) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.db.Update(func(tx *bolt.Tx) error { return fn(&bookTxn{txn{tx: tx}}) })
}

// keys lists a bucket's keys (nil for a missing bucket, as in files made
// before it existed).
func (t *bookTxn) keys(name []byte, each func(k []byte)) error {
	b := t.tx.Bucket(name)
	if b == nil {
		return nil
	}
	return b.ForEach(func(k, _ []byte) error { each(k); return nil })
}

// QuoteIDs implements bookcopy.Source.
func (t *bookTxn) QuoteIDs() ([]string, error) {
	var ids []string
	err := t.keys(bucketQuotes, func(k []byte) {
		ids = append(ids, fmt.Sprintf("%s%08d", quotePrefix, binary.BigEndian.Uint64(k)))
	})
	return ids, err
}

// IdempotencyKeys implements bookcopy.Source.
func (t *bookTxn) IdempotencyKeys() ([]string, error) {
	var keys []string
	err := t.keys(bucketIdempotency, func(k []byte) { keys = append(keys, string(k)) })
	return keys, err
}

// EmissionsBorrowers implements bookcopy.Source: the USCCs before the NUL
// of the emissions keys, once each.
func (t *bookTxn) EmissionsBorrowers() ([]string, error) {
	var usccs []string
	err := t.keys(bucketEmissions, func(k []byte) {
		u, _, _ := bytes.Cut(k, []byte{0})
		if n := len(usccs); n == 0 || usccs[n-1] != string(u) {
			usccs = append(usccs, string(u))
		}
	})
	return usccs, err
}

// Counters implements bookcopy.Source: the buckets' sequences.
func (t *bookTxn) Counters() (bookcopy.Counters, error) {
	seq := func(name []byte) uint64 {
		if b := t.tx.Bucket(name); b != nil {
			return b.Sequence()
		}
		return 0
	}
	return bookcopy.Counters{Quote: seq(bucketQuotes), Loan: seq(bucketLoans), Proposal: seq(bucketProposals),
		Attestation: seq(bucketAttestations)}, nil
}

// Empty implements bookcopy.Sink. Documents do not count: a service
// stores its catalogue and policy at start-up, and storing them again
// with the same digest is a no-op.
func (t *bookTxn) Empty() (bool, error) {
	for _, name := range [][]byte{bucketDecisions, bucketQuotes, bucketLoans, bucketFixings, bucketIdempotency, bucketProposals, bucketEmissions} {
		if k, _ := t.tx.Bucket(name).Cursor().First(); k != nil {
			return false, nil
		}
	}
	return true, nil
}

// SetCounters implements bookcopy.Sink.
func (t *bookTxn) SetCounters(c bookcopy.Counters) error {
	for _, s := range []struct {
		name []byte
		v    uint64
	}{{bucketQuotes, c.Quote}, {bucketLoans, c.Loan}, {bucketProposals, c.Proposal}, {bucketAttestations, c.Attestation}} {
		if err := t.tx.Bucket(s.name).SetSequence(s.v); err != nil {
			return err
		}
	}
	return nil
}

// AppendDecisionRecord implements bookcopy.Sink: the record (canonical
// bytes) is stored in storedfmt's envelope, as AppendDecision stores it,
// indexed by loan, and becomes the chain head.
func (t *bookTxn) AppendDecisionRecord(raw []byte) error {
	d, err := audit.DecodeDecision(raw)
	if err != nil {
		return err
	}
	head, err := t.ChainHead()
	if err != nil {
		return err
	}
	if d.Seq != head.Seq+1 || d.PrevHash != head.Hash {
		return fmt.Errorf("boltstore: decision %d (after %s) does not follow the chain head %d %s", d.Seq, d.PrevHash, head.Seq, head.Hash)
	}
	b := t.tx.Bucket(bucketDecisions)
	if err := b.SetSequence(d.Seq); err != nil {
		return err
	}
	b.FillPercent = appendFill
	if err := b.Put(itob(d.Seq), storedfmt.EncodeDecision(raw)); err != nil {
		return err
	}
	if lk, ok := idKey(loanPrefix, d.LoanID); ok {
		if err := t.tx.Bucket(bucketDecisionsByLoan).Put(append(lk, itob(d.Seq)...), nil); err != nil {
			return err
		}
	}
	return t.tx.Bucket(bucketMeta).Put(keyChainHead, []byte(strconv.FormatUint(d.Seq, 10)+" "+d.Hash))
}

// PutIdempotency implements bookcopy.Sink: a record that holds a version-1
// response (Verbatim, first stored by an old bbolt file and carried over
// by migrate) is written as version 1 again, header then body, so a
// round trip through PostgreSQL keeps it; others as txn writes them.
func (t *bookTxn) PutIdempotency(r loanbook.IdempotencyRecord) error {
	if r.Verbatim == nil {
		return t.txn.PutIdempotency(r)
	}
	// Version 1 kept the response's HTTP status in the header, and stored
	// only accepted attestations' responses: 201, as every record of the
	// compatibility fixture says and the service serves it (loanbook's
	// IdempotencyRecord.Verbatim).
	head, err := json.Marshal(idempotencyHeader{V: 1, Key: r.Key, Scope: r.Scope, RequestHash: r.RequestHash,
		Status: http.StatusCreated, CreatedAt: r.CreatedAt})
	if err != nil {
		return err
	}
	return t.tx.Bucket(bucketIdempotency).Put([]byte(r.Key), append(append(head, '\n'), r.Verbatim...))
}
