package loanbook

import (
	"sync"

	"tfpricing/pricing"
)

// An attestation reads its loan, the loan's schedule state and every
// attestation the loan has had, and decoding them from JSON was a quarter
// of an attestation's CPU. The loan never changes after booking, and the
// state and attestations change only together with the schedule stamp, so
// the decoded view of a recently attested loan is kept, keyed by the stamp
// it was read at: a view whose stamp is no longer the stored one is simply
// not used. Nothing is ever read from the cache without that check.

// loanView is a loan as one schedule stamp sees it. It is shared: never
// modify it or the slices it holds.
type loanView struct {
	loan  Loan
	state ScheduleState
	atts  []pricing.Attestation
}

// loanCache holds the views of up to max loans.
type loanCache struct {
	mu    sync.Mutex
	views map[string]*loanView
	max   int
}

// loanCacheSize bounds the cache: a view is 10–40 KB (a loan's terms,
// state and attestations), so this is at most ≈40 MiB.
const loanCacheSize = 1024

func newLoanCache(max int) *loanCache {
	return &loanCache{views: make(map[string]*loanView, max), max: max}
}

// get returns the view of loan id if it was read at stamp.
func (c *loanCache) get(id string, stamp ScheduleStamp) (*loanView, bool) {
	c.mu.Lock()
	v, ok := c.views[id]
	c.mu.Unlock()
	if !ok || v.state.Stamp() != stamp {
		return nil, false
	}
	return v, true
}

// put keeps v as the view of its loan, evicting an arbitrary other loan
// when full (which one does not matter: a miss only costs a read).
func (c *loanCache) put(v *loanView) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.views[v.loan.ID]; !ok && len(c.views) >= c.max {
		for id := range c.views {
			delete(c.views, id)
			break
		}
	}
	c.views[v.loan.ID] = v
}
