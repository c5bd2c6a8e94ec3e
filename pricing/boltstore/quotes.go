package boltstore

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"tfpricing"
	"tfpricing/catalog"
	"tfpricing/pricing"
	"tfpricing/pricing/loanbook"
)

// quoteRecord is the stored form of a quote (bucket quotes/).
type quoteRecord struct {
	V           int             `json:"v"`
	ID          string          `json:"id"`
	CreatedAt   time.Time       `json:"created_at"`
	AsOf        tfpricing.Date  `json:"as_of"`
	ValidUntil  tfpricing.Date  `json:"valid_until"`
	Request     json.RawMessage `json:"request"`
	Catalogue   refRecord       `json:"catalogue"`
	Policy      refRecord       `json:"policy"`
	DecisionSeq uint64          `json:"decision_seq"`
	LoanID      string          `json:"loan_id,omitempty"`
}

// refRecord stores a catalogue or policy reference.
type refRecord struct {
	ID      string `json:"id,omitempty"`
	Version string `json:"version"`
	Digest  string `json:"digest"`
}

// quotePrefix starts every quote id; the number after it is the key.
const quotePrefix = "Q-"

func itob(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

// idKey turns an id such as "Q-00000042" into its big-endian key.
func idKey(prefix, id string) ([]byte, bool) {
	if !strings.HasPrefix(id, prefix) {
		return nil, false
	}
	n, err := strconv.ParseUint(id[len(prefix):], 10, 64)
	if err != nil || n == 0 {
		return nil, false
	}
	return itob(n), true
}

// NextQuoteID implements loanbook.QuoteTx.
func (t *txn) NextQuoteID() (string, error) {
	n, err := t.tx.Bucket(bucketQuotes).NextSequence()
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s%08d", quotePrefix, n), nil
}

// PutQuote implements loanbook.QuoteTx.
func (t *txn) PutQuote(q loanbook.StoredQuote) error {
	key, ok := idKey(quotePrefix, q.ID)
	if !ok {
		return fmt.Errorf("boltstore: malformed quote id %q", q.ID)
	}
	rec := quoteRecord{
		V: 1, ID: q.ID, CreatedAt: q.CreatedAt.UTC(), AsOf: q.AsOf, ValidUntil: q.ValidUntil, Request: q.Request,
		Catalogue:   refRecord{ID: q.Catalogue.ID, Version: q.Catalogue.Version, Digest: q.Catalogue.Digest},
		Policy:      refRecord{Version: q.Policy.Version, Digest: q.Policy.Digest},
		DecisionSeq: q.DecisionSeq, LoanID: q.LoanID,
	}
	b, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	return t.tx.Bucket(bucketQuotes).Put(key, b)
}

// Quote implements loanbook.QuoteTx.
func (t *txn) Quote(id string) (loanbook.StoredQuote, error) {
	key, ok := idKey(quotePrefix, id)
	if !ok {
		return loanbook.StoredQuote{}, notFound("quote " + id)
	}
	v := t.tx.Bucket(bucketQuotes).Get(key)
	if v == nil {
		return loanbook.StoredQuote{}, notFound("quote " + id)
	}
	var rec quoteRecord
	if err := json.Unmarshal(v, &rec); err != nil { // Unmarshal copies out of the mmap
		return loanbook.StoredQuote{}, fmt.Errorf("boltstore: quote %s: %w", id, err)
	}
	return loanbook.StoredQuote{
		ID: rec.ID, CreatedAt: rec.CreatedAt, AsOf: rec.AsOf, ValidUntil: rec.ValidUntil, Request: rec.Request,
		Catalogue:   catalog.Ref{ID: rec.Catalogue.ID, Version: rec.Catalogue.Version, Digest: rec.Catalogue.Digest},
		Policy:      pricing.PolicyRef{Version: rec.Policy.Version, Digest: rec.Policy.Digest},
		DecisionSeq: rec.DecisionSeq, LoanID: rec.LoanID,
	}, nil
}
