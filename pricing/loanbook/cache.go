package loanbook

import (
	"sync"

	"tfpricing/pricing"
	"tfpricing/pricing/audit"
)

// An attestation, a repricing and a schedule read need the loan, its
// schedule state and every attestation the loan has had, and decoding them
// from the store was most of their cost — growing with the loan's history
// (issue 18). The loan never changes after booking but together with its
// schedule state, and the state changes with every event, so the decoded
// view of a recently used loan is kept and found in two ways, each checked
// against what the transaction itself reads — nothing is ever taken from
// the cache without that check:
//
//   - by the schedule stamp (one small read): a view read or written by a
//     committed transaction at the stamp the transaction sees is that
//     state, loan and attestations;
//   - by the attestation chain in the stored state (reading the loan and
//     the state, not the attestations): the chain is a hash over the
//     loan's attestation records in order (audit.AttestationChain), so a
//     view with the same chain holds exactly those attestations. This
//     works for views written inside a write transaction that has not
//     committed (the hot loan: the next attestation of a group-commit batch
//     starts from the one before it): if that transaction rolls back, its
//     chain is simply never found in a stored state again, or, if it is,
//     it names the same attestations.

// loanView is a loan as one schedule state sees it. It is shared: never
// modify it or the slices it holds.
type loanView struct {
	loan  Loan
	state ScheduleState
	atts  []pricing.Attestation
	chain audit.AttestationChain // over atts
	// committed: the view is what a committed transaction read or wrote,
	// so its stamp identifies it.
	committed bool
}

// loanCache holds the views of up to max loans.
type loanCache struct {
	mu    sync.Mutex
	views map[string]*loanView
	max   int
}

// loanCacheSize bounds the cache: a view is 10–40 KB for a loan with a
// few dozen attestations (≈ 400 KB with a thousand), so this is ≈ 40 MiB
// for a typical book.
const loanCacheSize = 1024

func newLoanCache(max int) *loanCache {
	return &loanCache{views: make(map[string]*loanView, max), max: max}
}

// get returns the committed view of loan id if it was read at stamp.
func (c *loanCache) get(id string, stamp ScheduleStamp) (*loanView, bool) {
	c.mu.Lock()
	v, ok := c.views[id]
	c.mu.Unlock()
	if !ok || !v.committed || v.state.Stamp() != stamp {
		return nil, false
	}
	return v, true
}

// withChain returns a view of loan id whose attestations chain to chain,
// committed or not.
func (c *loanCache) withChain(id string, chain audit.AttestationChain) (*loanView, bool) {
	c.mu.Lock()
	v, ok := c.views[id]
	c.mu.Unlock()
	if !ok || v.chain != chain || chain.Chain == "" {
		return nil, false
	}
	return v, true
}

// put keeps v as the view of its loan unless the one kept is of a later
// revision (concurrent writers finish in any order) or a committed view
// of the same one; it evicts an arbitrary other loan when full (which one
// does not matter: a miss only costs a read).
func (c *loanCache) put(v *loanView) {
	c.mu.Lock()
	defer c.mu.Unlock()
	old, ok := c.views[v.loan.ID]
	if ok && (old.state.Revision > v.state.Revision || old.state.Revision == v.state.Revision && old.committed && !v.committed) {
		return
	}
	if !ok && len(c.views) >= c.max {
		for id := range c.views {
			delete(c.views, id)
			break
		}
	}
	c.views[v.loan.ID] = v
}
