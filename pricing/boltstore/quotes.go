package boltstore

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"tfpricing/pricing/loanbook"
	"tfpricing/pricing/storedfmt"
)

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
	rec := storedfmt.NewQuote(q)
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
	var rec storedfmt.Quote
	if err := json.Unmarshal(v, &rec); err != nil { // Unmarshal copies out of the mmap
		return loanbook.StoredQuote{}, fmt.Errorf("boltstore: quote %s: %w", id, err)
	}
	return storedfmt.DomainQuote(rec), nil
}
