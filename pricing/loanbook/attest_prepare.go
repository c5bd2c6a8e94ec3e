package loanbook

import (
	"sync/atomic"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/audit"
)

// preparedAttestation is an attestation validated and computed against one
// state of its loan, with everything to store but the decision's place in
// the chain. It is never changed once made: the store may run a write
// transaction's function more than once.
type preparedAttestation struct {
	prev     ScheduleState     // the state it was computed from
	result   AttestationResult // Decision not yet appended
	decision audit.Decision
	state    ScheduleState         // DecisionSeq filled in at commit
	all      []pricing.Attestation // the loan's attestations, this one last
	spare    *atomic.Bool          // all's (loanView.spare)
	memo     *ratchetMemo          // all's (loanView.ratchet), nil for none
}

// loanView reads a loan, its schedule state and its attestations, or takes
// them from the cache (cache.go) when the stored schedule stamp is the one
// a committed view was read at, or the stored state's attestation chain is
// a view's, or catches an older committed view up to the stored state
// (catchup.go: what another replica wrote since, checked against the
// stored chain). Only what a committed state shows is cached from here
// (committed: tx is a read transaction): a write transaction sees the
// uncommitted writes of the calls grouped before it, which a rollback
// would undo while a later write could reach the same stamp with other
// content.
func (s *Service) loanView(tx Tx, id string, committed bool) (*loanView, error) {
	return s.loanViewAt(tx, id, nil, committed)
}

// loanViewAt is loanView given the stored schedule stamp when the caller
// has just read it in tx (nil: it is read here), which saves decompressing
// the state a second time per attestation.
func (s *Service) loanViewAt(tx Tx, id string, stamp *ScheduleStamp, committed bool) (*loanView, error) {
	if stamp == nil {
		if st, err := tx.ScheduleStamp(id); err == nil {
			stamp = &st
		}
	}
	if stamp != nil {
		if v, ok := s.views.get(id, *stamp); ok {
			return v, nil
		}
		if from, ok := s.views.behind(id, stamp.Revision); ok {
			v, ok, err := s.catchUp(tx, from, committed)
			if err != nil {
				return nil, err
			}
			if ok {
				if committed {
					s.views.put(v)
				}
				return v, nil
			}
		}
	}
	loan, err := tx.Loan(id) // first, so that an unknown loan is reported as such
	if err != nil {
		return nil, err
	}
	state, err := tx.Schedule(loan.ID)
	if err != nil {
		return nil, err
	}
	v := newLoanView(loan, state, nil, audit.AttestationChain{}, committed)
	if known, ok := s.views.withChain(loan.ID, state.AttChain); ok {
		v.atts, v.spare, v.chain, v.ratchet = known.atts, known.spare, known.chain, known.ratchet
	} else {
		if v.atts, err = tx.Attestations(loan.ID); err != nil {
			return nil, err
		}
		if v.chain, err = chainOf(state, v.atts); err != nil {
			return nil, err
		}
	}
	if committed {
		s.views.put(v)
	}
	return v, nil
}

// chainOf returns the chain over a loan's attestations atts: the one its
// schedule state records when that covers them all, else computed (a
// state written before loan inputs layout 2, or a loan whose attestations
// were stored without a decision, as a test's fixture does).
func chainOf(state ScheduleState, atts []pricing.Attestation) (audit.AttestationChain, error) {
	c := state.AttChain
	if c.Chain != "" && c.Count == len(atts) && (len(atts) == 0 || c.ThroughSeq == atts[len(atts)-1].Seq) {
		return c, nil
	}
	return audit.ChainAttestations(atts)
}

// prepareAttestation validates the attestation against the loan as tx sees
// it and computes its effect, giving it arrival sequence seq. It writes
// nothing, so it runs in a read transaction (committed) as well as a write
// one. stamp is the loan's stored schedule stamp as tx sees it, when the
// caller has read it (nil: loanView reads it).
func (s *Service) prepareAttestation(tx Tx, req AttestationRequest, actor tfpricing.Actor,
	today tfpricing.Date, seq uint64, stamp *ScheduleStamp, committed bool) (*preparedAttestation, error) {
	view, err := s.loanViewAt(tx, req.LoanID, stamp, committed)
	if err != nil {
		return nil, err
	}
	loan, prev := view.loan, view.state
	recorded := view.atts[:len(view.atts):len(view.atts)] // the view is shared: see withAttestation
	a := req.Attestation
	if a.AcceptedOn.IsZero() {
		a.AcceptedOn = today
	}
	if a.AcceptedOn.After(today) {
		return nil, &tfpricing.Error{Code: tfpricing.EUNPROCESSABLE, Message: "accepted_on may not be later than the business date " + today.String(),
			Fields: []tfpricing.FieldError{{Field: "accepted_on", Code: "after_business_date", Message: "may not be later than " + today.String()}}}
	}
	a.ID, a.Seq = pricing.AttestationID(seq), seq
	if err := s.checkVerifier(a); err != nil {
		return nil, err
	}
	p, err := s.policy(tx, loan.Policy)
	if err != nil {
		return nil, err
	}
	terms := loan.Terms
	if lc := loan.Lifecycle.Pricing(); !lc.Empty() {
		// An SPT of any plan version may be attested (DESIGN.md §5.1).
		terms, _ = lc.TermsWithSPT(loan.Terms, a.MetricID, a.Year)
	}
	// The view's ratchet state and status hash, when it has them, are
	// extended by this attestation rather than the history walked and
	// hashed again (pricing.ComputeFrom, audit.HashStatuses).
	memo := view.caughtUpMemo(loan, p, today)
	var walked *pricing.RatchetState
	if memo != nil {
		walked = memo.state
	}
	st, spt, err := pricing.PreviewAttestationFrom(walked, terms, p, recorded, a)
	if err != nil {
		return nil, err
	}
	all, spare := view.withAttestation(a)
	sched, walk, err := s.computeMemo(tx, loan, memo, all, today)
	if err != nil {
		return nil, err
	}
	hash, walk := walk.statusHash(sched)
	kind := audit.DecisionAttestation
	if st.Status == pricing.Correction {
		kind = audit.DecisionCorrection
	}
	event := attestationEvent(kind, a, st.Status)
	dec, err := s.loanDecision(kind, actor, loan, view.chain, []pricing.Attestation{a}, today, event, prev.Rates, sched, hash)
	if err != nil {
		return nil, err
	}
	next, err := view.chain.Extend(a)
	if err != nil {
		return nil, err
	}
	pa := &preparedAttestation{prev: prev, decision: dec, all: all, spare: spare, memo: walk,
		result: AttestationResult{Loan: loan, Attestation: a, Status: st, SPT: spt, Schedule: sched,
			Changes: audit.DiffPeriodRates(prev.Rates, sched)},
		state: NewScheduleState(loan.ID, sched, s.latestFixing(today), prev.Revision+1, 0)}
	pa.state.AttChain = next
	return pa, nil
}

// commitAttestation stores a prepared attestation: its sequence, the
// attestation, the decision, the new schedule state and, under the
// Idempotency-Key, a reference to what it did. committed is the loan as it
// stands once the transaction commits.
func (s *Service) commitAttestation(tx Tx, p *preparedAttestation, idem IdempotencyRecord) (AttestationResult, *loanView, error) {
	a := p.result.Attestation
	if err := tx.PutAttestation(p.result.Loan.ID, a); err != nil {
		return AttestationResult{}, nil, err
	}
	dec := p.decision
	dec.RecordedAt = s.cfg.Now().UTC()
	if err := tx.AppendDecision(&dec); err != nil {
		return AttestationResult{}, nil, err
	}
	st := p.state
	st.DecisionSeq = dec.Seq
	if err := tx.PutSchedule(st); err != nil {
		return AttestationResult{}, nil, err
	}
	res := p.result
	res.Decision = dec
	idem.CreatedAt = s.cfg.Now().UTC()
	idem.Result = AttestationRef{LoanID: res.Loan.ID, AttestationSeq: a.Seq, DecisionSeq: dec.Seq,
		Timeliness: res.Status.Status, Outcome: res.Status.Outcome, SPTOutcome: res.SPT.Outcome}
	if err := tx.PutIdempotency(idem); err != nil {
		return AttestationResult{}, nil, err
	}
	// The next attestation of this loan in the same transaction (a
	// group-commit batch) starts from this view, found by its chain.
	v := newLoanView(p.result.Loan, st, p.all, st.AttChain, false)
	v.spare = p.spare // the store may run this more than once: views of p.all share one flag
	v.ratchet.Store(p.memo)
	s.views.put(v)
	return res, v, nil
}
