package loanbook

import (
	"sync"
	"sync/atomic"

	"tfpricing"

	"tfpricing/pricing"
	"tfpricing/pricing/audit"
)

// An attestation, a repricing and a schedule read need the loan, its
// schedule state and every attestation the loan has had, and decoding them
// from the store was most of their cost — growing with the loan's history
// (issue 18). The loan never changes after booking but together with its
// schedule state, and the state changes with every event, so the decoded
// view of a recently used loan is kept and found in three ways, each checked
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
//     it names the same attestations;
//   - by catching up (catchup.go) a committed view of an older revision:
//     only what changed since is read, and the view's chain extended by
//     the attestations read must be the stored state's.

// loanView is a loan as one schedule state sees it. It is shared: never
// modify it or the slices it holds.
type loanView struct {
	loan  Loan
	state ScheduleState
	atts  []pricing.Attestation
	// spare is set once a preparation has appended into atts' spare
	// capacity (withAttestation). Every view holding the same atts holds
	// the same spare, so that only one ever writes there.
	spare *atomic.Bool
	chain audit.AttestationChain // over atts
	// committed: the view is what a committed transaction read or wrote,
	// so its stamp identifies it.
	committed bool
	// computed is the schedule last computed from the view for a read
	// (nil until then): a schedule depends on nothing but the view, the
	// as-of date and the curve, so the next read of the same date and
	// curve returns it. Shared by copies of the view.
	computed *atomic.Pointer[computedSchedule]
	// ratchet is the ratchet's walk over atts, or over a prefix of them
	// for a view caught up (catchup.go), and the status digest's hash
	// (nil until a computation made them): the next attestation
	// or repricing of the loan extends them instead of walking and hashing
	// its whole history again. Shared by copies of the view.
	ratchet *atomic.Pointer[ratchetMemo]
}

// ratchetMemo is a loan's ratchet state over a list of attestations and the
// status digest's hash of a prefix of its statuses (nil: none), the hash
// lagging the state when a computation made no decision. Immutable.
type ratchetMemo struct {
	state *pricing.RatchetState
	hash  *audit.StatusHash // of state's first hash.Count() statuses
}

// memo returns the view's ratchet memo, nil when it has none.
func (v *loanView) memo() *ratchetMemo { return v.ratchet.Load() }

// computeMemo computes loan l's schedule over atts as of asOf on tx's
// curve (as compute does), extending memo — that of a view whose
// attestations atts begin with, or nil — and returns the memo of atts
// (nil for a loan ComputeFrom keeps no state for). The hash is carried
// only while it still covers leading statuses of the new schedule;
// statusHash brings it up to date for a decision.
func (s *Service) computeMemo(tx Tx, l Loan, memo *ratchetMemo, atts []pricing.Attestation, asOf tfpricing.Date) (pricing.Schedule, *ratchetMemo, error) {
	curve, err := s.curveIn(tx)
	if err != nil {
		return pricing.Schedule{}, nil, err
	}
	p, err := s.policy(tx, l.Policy)
	if err != nil {
		return pricing.Schedule{}, nil, err
	}
	var prev *pricing.RatchetState
	if memo != nil {
		prev = memo.state
	}
	sched, st, err := pricing.ComputeFrom(prev, pricing.Input{Terms: l.Terms, Policy: p, Curve: curve, Attestations: atts,
		AsOf: asOf, Lifecycle: l.Lifecycle.Pricing()})
	if err != nil || st == nil {
		return sched, nil, err
	}
	next := &ratchetMemo{state: st}
	if memo != nil && memo.hash != nil && memo.hash.Count() <= st.Kept() {
		next.hash = memo.hash
	}
	return sched, next, nil
}

// statusHash returns the hash of sched's statuses, continued from the
// memo's (nil: hashed whole), and the memo with it.
func (m *ratchetMemo) statusHash(sched pricing.Schedule) (*audit.StatusHash, *ratchetMemo) {
	if m == nil {
		return audit.HashStatuses(sched.Attestations, nil, 0), nil
	}
	h := audit.HashStatuses(sched.Attestations, m.hash, m.hash.Count())
	return h, &ratchetMemo{state: m.state, hash: h}
}

// computedSchedule is a schedule computed from a view as of asOf on curve.
type computedSchedule struct {
	asOf  tfpricing.Date
	curve *pricing.Curve
	sched pricing.Schedule
}

// newLoanView returns a view of loan with its state and attestations.
func newLoanView(loan Loan, state ScheduleState, atts []pricing.Attestation, chain audit.AttestationChain, committed bool) *loanView {
	return &loanView{loan: loan, state: state, atts: atts, spare: new(atomic.Bool), chain: chain, committed: committed,
		computed: &atomic.Pointer[computedSchedule]{}, ratchet: &atomic.Pointer[ratchetMemo]{}}
}

// withAttestation returns the view's attestations followed by a, and the
// spare flag of the slice returned. A loan's next attestation extends its
// history, and copying all of it for every attestation was the largest
// allocation of one after the ledger's (≈ 200 KB with 1,000 events), so
// the first preparation from a view appends in place when the slice has
// room — the view only ever reads up to its length — and any other copies,
// growing the slice as append does.
func (v *loanView) withAttestation(a pricing.Attestation) ([]pricing.Attestation, *atomic.Bool) {
	return v.withAttestations(a)
}

// loanCache holds the newest few views of up to max loans: under
// concurrent attestations of one loan, read transactions still see the
// last committed state while a batch's members see the states its earlier
// members wrote, so views of both kinds are kept apart, the newest
// viewsPerLoan of each, and uncommitted ones cannot push out the committed
// ones that read transactions need.
type loanCache struct {
	mu    sync.Mutex
	views map[string]*loanViews
	max   int
}

// loanViews are one loan's views, newest first.
type loanViews struct {
	committed, pending []*loanView
}

// loanCacheSize bounds the cache to this many loans: a view is 10–40 KB
// for a loan with a few dozen attestations (≈ 400 KB with a thousand), and
// only a loan written to concurrently keeps more than one.
const loanCacheSize = 1024

// viewsPerLoan is how many committed, and how many uncommitted, views of
// one loan are kept.
const viewsPerLoan = 2

func newLoanCache(max int) *loanCache {
	return &loanCache{views: make(map[string]*loanViews, max), max: max}
}

// find returns the first view of loan id that ok accepts, committed ones
// first.
func (c *loanCache) find(id string, ok func(*loanView) bool) (*loanView, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	lv := c.views[id]
	if lv == nil {
		return nil, false
	}
	for _, vs := range [2][]*loanView{lv.committed, lv.pending} {
		for _, v := range vs {
			if ok(v) {
				return v, true
			}
		}
	}
	return nil, false
}

// get returns a committed view of loan id read at stamp.
func (c *loanCache) get(id string, stamp ScheduleStamp) (*loanView, bool) {
	return c.find(id, func(v *loanView) bool { return v.committed && v.state.Stamp() == stamp })
}

// withChain returns a view of loan id whose attestations chain to chain,
// committed or not.
func (c *loanCache) withChain(id string, chain audit.AttestationChain) (*loanView, bool) {
	if chain.Chain == "" {
		return nil, false
	}
	return c.find(id, func(v *loanView) bool { return v.chain == chain })
}

// newer reports whether a view of loan id of a later revision than rev is
// kept: a state of revision rev is then already superseded, or about to be.
func (c *loanCache) newer(id string, rev uint64) bool {
	_, ok := c.find(id, func(v *loanView) bool { return v.state.Revision > rev })
	return ok
}

// put keeps v as the newest view of its loan of its kind, replacing one of
// the same state and dropping the oldest beyond viewsPerLoan; it evicts an
// arbitrary other loan when full (which one does not matter: a miss only
// costs a read).
func (c *loanCache) put(v *loanView) {
	c.mu.Lock()
	defer c.mu.Unlock()
	lv, ok := c.views[v.loan.ID]
	if !ok {
		if len(c.views) >= c.max {
			for id := range c.views {
				delete(c.views, id)
				break
			}
		}
		lv = &loanViews{}
		c.views[v.loan.ID] = lv
	}
	list := &lv.pending
	if v.committed {
		list = &lv.committed
	}
	kept := make([]*loanView, 1, viewsPerLoan)
	kept[0] = v
	for _, o := range *list {
		if len(kept) == viewsPerLoan {
			break
		}
		if o.chain != v.chain || o.state.Stamp() != v.state.Stamp() {
			kept = append(kept, o)
		}
	}
	*list = kept
}
