package boltstore

import (
	"bytes"
	"fmt"

	"tfpricing/pricing/loanbook"
	"tfpricing/pricing/storedfmt"
)

// Buckets of DESIGN.md §5.1 (created at Open, also in older files):
//
//	proposals/   big-endian proposal number (id "P-00000042") → storedfmt.Proposal
//	lifecycles/  loan key → lifecycleRecord (only for loans with one)
var (
	bucketProposals  = []byte("proposals")
	bucketLifecycles = []byte("lifecycles")
)

const proposalPrefix = "P-"

// NextProposalID implements loanbook.ProposalTx.
func (t *txn) NextProposalID() (string, error) {
	n, err := t.tx.Bucket(bucketProposals).NextSequence()
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s%08d", proposalPrefix, n), nil
}

// PutProposal implements loanbook.ProposalTx.
func (t *txn) PutProposal(p loanbook.Proposal) error {
	key, ok := idKey(proposalPrefix, p.ID)
	if !ok {
		return notFound("proposal " + p.ID)
	}
	return put(t.tx.Bucket(bucketProposals), key, storedfmt.NewProposal(p))
}

// Proposal implements loanbook.ProposalTx.
func (t *txn) Proposal(id string) (loanbook.Proposal, error) {
	key, ok := idKey(proposalPrefix, id)
	if !ok {
		return loanbook.Proposal{}, notFound("proposal " + id)
	}
	return get(t.tx.Bucket(bucketProposals), key, "proposal "+id, storedfmt.ReadProposal)
}

// Proposals implements loanbook.ProposalTx. Proposals are few (each is a
// person's decision), so a filter scans the bucket.
func (t *txn) Proposals(f loanbook.ProposalFilter, after string, limit int) ([]loanbook.Proposal, bool, error) {
	b := t.tx.Bucket(bucketProposals)
	if b == nil {
		return nil, false, nil
	}
	c := b.Cursor()
	var k, v []byte
	if after == "" {
		k, v = c.First()
	} else {
		key, ok := idKey(proposalPrefix, after)
		if !ok {
			return nil, false, notFound("proposal " + after)
		}
		k, v = c.Seek(key)
		if k != nil && bytes.Equal(k, key) {
			k, v = c.Next()
		}
	}
	return storedfmt.MatchProposals(func(yield func([]byte) bool) {
		for ; k != nil && yield(v); k, v = c.Next() {
		}
	}, f, limit)
}

// PutLifecycle implements loanbook.ProposalTx.
func (t *txn) PutLifecycle(loanID string, lc loanbook.LoanLifecycle) error {
	key, err := t.loanKey(loanID)
	if err != nil {
		return err
	}
	l, err := t.Loan(loanID)
	if err != nil {
		return err
	}
	rec, err := storedfmt.NewLifecycle(l.Terms, lc)
	if err != nil {
		return err
	}
	return put(t.tx.Bucket(bucketLifecycles), key, rec)
}

// lifecycle reads the lifecycle stored under a loan key; none is the zero
// lifecycle.
func (t *txn) lifecycle(loanID string, key []byte) (loanbook.LoanLifecycle, error) {
	var lc loanbook.LoanLifecycle
	b := t.tx.Bucket(bucketLifecycles) // absent in a file opened read-only before §5.1
	if b == nil {
		return lc, nil
	}
	return storedfmt.ReadLifecycle(loanID, b.Get(key))
}

// withLifecycle sets l.Lifecycle from the lifecycles bucket.
func (t *txn) withLifecycle(l *loanbook.Loan, key []byte) error {
	var err error
	l.Lifecycle, err = t.lifecycle(l.ID, key)
	return err
}
