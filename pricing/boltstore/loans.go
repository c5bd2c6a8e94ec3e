package boltstore

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/loanbook"
	"tfpricing/pricing/storedfmt"
)

// idempotencyHeader is the JSON first line of an idempotency value; the
// stored response follows the newline as raw bytes, so the ~10 KB response
// is neither escaped nor re-scanned by encoding/json on every write.
type idempotencyHeader struct {
	V           int       `json:"v"`
	Key         string    `json:"key"`
	Scope       string    `json:"scope"`
	RequestHash string    `json:"request_hash"`
	Status      int       `json:"status,omitempty"` // version 1: the HTTP status of the stored response
	CreatedAt   time.Time `json:"created_at"`
	// Version 2: what the request did; nothing follows the header.
	Result *storedfmt.AttestationRef `json:"result,omitempty"`
}

const loanPrefix = "L-"

func put(b *bolt.Bucket, key []byte, v any) error {
	buf, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(key, buf)
}

// get decodes the value under key with read; decoding copies, so nothing
// refers to the mmap after the transaction.
func get[T any](b *bolt.Bucket, key []byte, what string, read func([]byte) (T, error)) (T, error) {
	raw := b.Get(key)
	if raw == nil {
		var zero T
		return zero, notFound(what)
	}
	v, err := read(raw)
	if err != nil {
		return v, fmt.Errorf("boltstore: %s: %w", what, err)
	}
	return v, nil
}

func (t *txn) loanKey(id string) ([]byte, error) {
	key, ok := idKey(loanPrefix, id)
	if !ok {
		return nil, notFound("loan " + id)
	}
	return key, nil
}

// NextLoanID implements loanbook.LoanTx.
func (t *txn) NextLoanID() (string, error) {
	n, err := t.tx.Bucket(bucketLoans).NextSequence()
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s%08d", loanPrefix, n), nil
}

// PutLoan implements loanbook.LoanTx.
func (t *txn) PutLoan(l loanbook.Loan) error {
	key, err := t.loanKey(l.ID)
	if err != nil {
		return err
	}
	rec, err := storedfmt.EncodeLoan(l)
	if err != nil {
		return err
	}
	b := t.tx.Bucket(bucketLoans)
	b.FillPercent = appendFill // loans are numbered in order
	return b.Put(key, rec)
}

// Loan implements loanbook.LoanTx.
func (t *txn) Loan(id string) (loanbook.Loan, error) {
	key, err := t.loanKey(id)
	if err != nil {
		return loanbook.Loan{}, err
	}
	l, err := get(t.tx.Bucket(bucketLoans), key, "loan "+id, storedfmt.ReadLoan)
	if err != nil {
		return loanbook.Loan{}, err
	}
	err = t.withLifecycle(&l, key)
	return l, err
}

// Loans implements loanbook.LoanTx.
func (t *txn) Loans(after string, limit int) ([]loanbook.Loan, bool, error) {
	c := t.tx.Bucket(bucketLoans).Cursor()
	var k, v []byte
	if after == "" {
		k, v = c.First()
	} else {
		key, err := t.loanKey(after)
		if err != nil {
			return nil, false, err
		}
		k, v = c.Seek(key)
		if k != nil && bytes.Equal(k, key) {
			k, v = c.Next()
		}
	}
	var out []loanbook.Loan
	for ; k != nil; k, v = c.Next() {
		if len(out) == limit {
			return out, true, nil
		}
		l, err := storedfmt.ReadLoan(v)
		if err != nil {
			return nil, false, fmt.Errorf("boltstore: loan %x: %w", k, err)
		}
		if err := t.withLifecycle(&l, k); err != nil {
			return nil, false, err
		}
		out = append(out, l)
	}
	return out, false, nil
}

// AttestationSequence implements loanbook.LoanTx: the attestations bucket's
// sequence. Within a loan, sequences follow commit order (the loan book
// sees to that); across loans they are unique and roughly in arrival order.
func (t *txn) AttestationSequence() (uint64, error) {
	return t.tx.Bucket(bucketAttestations).Sequence(), nil
}

// PutAttestation implements loanbook.LoanTx: key = loan key || seq, so one
// loan's attestations are a contiguous range in arrival order.
func (t *txn) PutAttestation(loanID string, a pricing.Attestation) error {
	lk, err := t.loanKey(loanID)
	if err != nil {
		return err
	}
	key := append(lk, itob(a.Seq)...)
	b := t.tx.Bucket(bucketAttestations)
	// Sequences are handed out by the service, not by this bucket: refuse
	// to overwrite rather than trust every caller to keep them unique.
	if b.Get(key) != nil {
		return tfpricing.Errorf(tfpricing.ECONFLICT, "loan %s already has an attestation with sequence %d", loanID, a.Seq)
	}
	if a.Seq > b.Sequence() {
		if err := b.SetSequence(a.Seq); err != nil {
			return err
		}
	}
	rec, err := storedfmt.NewAttestation(loanID, a)
	if err != nil {
		return err
	}
	return put(b, key, rec)
}

// Attestations implements loanbook.LoanTx.
func (t *txn) Attestations(loanID string) ([]pricing.Attestation, error) {
	lk, err := t.loanKey(loanID)
	if err != nil {
		return nil, err
	}
	var out []pricing.Attestation
	c := t.tx.Bucket(bucketAttestations).Cursor()
	for k, v := c.Seek(lk); k != nil && bytes.HasPrefix(k, lk); k, v = c.Next() {
		a, err := storedfmt.ReadAttestation(v)
		if err != nil {
			return nil, fmt.Errorf("boltstore: attestation %x: %w", k, err)
		}
		out = append(out, a)
	}
	return out, nil
}

// PutSchedule implements loanbook.LoanTx.
func (t *txn) PutSchedule(s loanbook.ScheduleState) error {
	key, err := t.loanKey(s.LoanID)
	if err != nil {
		return err
	}
	rec, err := storedfmt.EncodeSchedule(s)
	if err != nil {
		return err
	}
	b := t.tx.Bucket(bucketSchedules)
	b.FillPercent = rewriteFill
	return b.Put(key, rec)
}

// Schedule implements loanbook.LoanTx.
func (t *txn) Schedule(loanID string) (loanbook.ScheduleState, error) {
	key, err := t.loanKey(loanID)
	if err != nil {
		return loanbook.ScheduleState{}, err
	}
	return get(t.tx.Bucket(bucketSchedules), key, "schedule of loan "+loanID, storedfmt.ReadSchedule)
}

// ScheduleStamp implements loanbook.LoanTx, decoding only the stamp
// (storedfmt.ReadStamp).
func (t *txn) ScheduleStamp(loanID string) (loanbook.ScheduleStamp, error) {
	key, err := t.loanKey(loanID)
	if err != nil {
		return loanbook.ScheduleStamp{}, err
	}
	return get(t.tx.Bucket(bucketSchedules), key, "schedule of loan "+loanID, storedfmt.ReadStamp)
}

// PutFixing implements loanbook.LoanTx.
func (t *txn) PutFixing(f pricing.Fixing) error {
	rec, err := storedfmt.NewFixing(f)
	if err != nil {
		return err
	}
	return put(t.tx.Bucket(bucketFixings), []byte(f.EffectiveDate.String()), rec)
}

// Fixings implements loanbook.LoanTx; date keys sort chronologically.
func (t *txn) Fixings() ([]pricing.Fixing, error) {
	var out []pricing.Fixing
	err := t.tx.Bucket(bucketFixings).ForEach(func(k, v []byte) error {
		f, err := storedfmt.ReadFixing(v)
		if err != nil {
			return fmt.Errorf("boltstore: fixing %s: %w", k, err)
		}
		out = append(out, f)
		return nil
	})
	return out, err
}

// Idempotency implements loanbook.LoanTx. A record is a JSON header and a
// newline; in version 1 the stored response body follows, in version 2 the
// header holds a reference to the result.
func (t *txn) Idempotency(key string) (loanbook.IdempotencyRecord, bool, error) {
	raw := t.tx.Bucket(bucketIdempotency).Get([]byte(key))
	if raw == nil {
		return loanbook.IdempotencyRecord{}, false, nil
	}
	head, body, ok := bytes.Cut(raw, []byte("\n"))
	var h idempotencyHeader
	if err := json.Unmarshal(head, &h); !ok || err != nil || (h.V == 2) != (h.Result != nil) || h.V < 1 || h.V > 2 {
		return loanbook.IdempotencyRecord{}, false, fmt.Errorf("boltstore: idempotency record %q is malformed", key)
	}
	r := loanbook.IdempotencyRecord{Key: h.Key, Scope: h.Scope, RequestHash: h.RequestHash, CreatedAt: h.CreatedAt}
	if h.V == 1 {
		r.Verbatim = bytes.Clone(body)
		return r, true, nil
	}
	r.Result = h.Result.Domain()
	return r, true, nil
}

// PutIdempotency implements loanbook.LoanTx, writing version 2.
func (t *txn) PutIdempotency(r loanbook.IdempotencyRecord) error {
	res := storedfmt.NewAttestationRef(r.Result)
	head, err := json.Marshal(idempotencyHeader{V: 2, Key: r.Key, Scope: r.Scope, RequestHash: r.RequestHash,
		CreatedAt: r.CreatedAt, Result: &res})
	if err != nil {
		return err
	}
	return t.tx.Bucket(bucketIdempotency).Put([]byte(r.Key), append(head, '\n'))
}
