package loanbook

import (
	"sync/atomic"

	"tfpricing"
	"tfpricing/pricing"
)

// Several replicas over one database each keep their own loan cache, so a
// loan that another replica wrote last misses both ways (the stamp and the
// chain are that replica's), and a full read decoded the loan, its state
// and every attestation it has had, and walked its ratchet from scratch
// (issue 14). A replica usually holds an older view of the loan, though,
// and a loan changes only by appending: its record is frozen at booking
// (Loan: PutLoan is written by booking alone; what is approved later is its
// lifecycle, kept apart), and its attestations only ever follow the last
// one stored — a number handed out is re-taken when the loan moved before
// the write (Attest), and a back-dated attestation or a correction is a
// new arrival like any other, sorted among the statuses by the ratchet,
// not among the stored records.
//
// So the view is caught up: LoanSince reads the lifecycle, the state and
// only the attestations after the view's last one, and the view's chain
// extended by them must be exactly the chain the stored state records —
// a hash over every attestation record in order, so the view's
// attestations and the new ones are then exactly the stored ones. The
// loan record is the view's (a committed view: a booking that rolled back
// could have left its id to another loan), with the lifecycle just read;
// the ratchet memo is the view's, which covers a prefix of the
// attestations and which pricing.ComputeFrom extends by the new ones (or
// walks them all when it cannot: one accepted before its own SPT's latest,
// changed terms, a lifecycle); a preparation first brings it to all of
// them (caughtUpMemo), so that its preview uses it too. Anything else —
// no chain stored, a chain that is not the view's extended, a view as new
// as the state or newer — reads the loan in full as before.

// behind returns the committed view of loan id to catch up to a stored
// state of revision rev: the newest committed view, when every view of
// the loan kept is of an earlier revision (one of rev may be found by
// its chain or stamp, one after rev is newer than what the transaction
// sees) and it has a chain to extend.
func (c *loanCache) behind(id string, rev uint64) (*loanView, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	lv := c.views[id]
	if lv == nil {
		return nil, false
	}
	var best *loanView
	for _, vs := range [2][]*loanView{lv.committed, lv.pending} {
		for _, v := range vs {
			if v.state.Revision >= rev {
				return nil, false
			}
			if v.committed && v.chain.Chain != "" && (best == nil || v.state.Revision > best.state.Revision) {
				best = v
			}
		}
	}
	return best, best != nil
}

// catchUp returns view from brought up to the state tx sees, or false
// when the stored state does not extend it (the caller then reads the
// loan in full).
func (s *Service) catchUp(tx Tx, from *loanView, committed bool) (*loanView, bool, error) {
	ch, err := tx.LoanSince(from.loan.ID, from.chain.ThroughSeq)
	if err != nil {
		return nil, false, err
	}
	want := ch.State.AttChain // none stored (""): never the view's extended
	if got, err := from.chain.Extend(ch.Attestations...); err != nil || got != want {
		return nil, false, nil
	}
	loan := from.loan
	loan.Lifecycle = ch.Lifecycle
	v := newLoanView(loan, ch.State, from.atts, want, committed)
	if len(ch.Attestations) == 0 {
		v.spare, v.ratchet = from.spare, from.ratchet // the same attestations
	} else {
		v.atts, v.spare = from.withAttestations(ch.Attestations...)
		if m := from.memo(); m != nil {
			v.ratchet.Store(m) // over a prefix of v.atts: ComputeFrom extends it
		}
	}
	return v, true, nil
}

// withAttestations returns the view's attestations followed by more, and
// the spare flag of the slice returned: in place in the slice's spare
// capacity when it has room and no one has claimed it, else a copy (see
// withAttestation).
func (v *loanView) withAttestations(more ...pricing.Attestation) ([]pricing.Attestation, *atomic.Bool) {
	n := len(v.atts)
	if n+len(more) <= cap(v.atts) && v.spare.CompareAndSwap(false, true) {
		return append(v.atts, more...), new(atomic.Bool)
	}
	return append(v.atts[:n:n], more...), new(atomic.Bool)
}

// caughtUpMemo returns the view's ratchet memo, first brought to all its
// attestations as of asOf when it covers fewer (a view caught up keeps the
// memo of the one it came from), so that a preview uses it instead of
// walking the history: kept in the view for the next preparation. The
// status hash is carried while it still covers leading statuses. A loan
// with a lifecycle keeps no memo (pricing.ComputeFrom): it is returned as
// it is.
func (v *loanView) caughtUpMemo(l Loan, p *pricing.Policy, asOf tfpricing.Date) *ratchetMemo {
	m := v.memo()
	if m == nil || m.state.Walked() >= len(v.atts) || !l.Lifecycle.Pricing().Empty() {
		return m
	}
	st, ok := m.state.ExtendTo(l.Terms, p.Ratchet, v.atts, asOf)
	if !ok {
		return m
	}
	next := &ratchetMemo{state: st}
	if m.hash != nil && m.hash.Count() <= st.Kept() {
		next.hash = m.hash
	}
	v.ratchet.CompareAndSwap(m, next)
	return next
}
