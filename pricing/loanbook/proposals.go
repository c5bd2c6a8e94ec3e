package loanbook

import (
	"context"
	"encoding/json"

	"tfpricing"
	"tfpricing/pricing/audit"
)

// DefaultProposalValidityDays is lifecycle.proposal_validity_days when the
// configuration does not set it.
const DefaultProposalValidityDays = 30

func (s *Service) validityDays() int {
	if s.cfg.ProposalValidityDays > 0 {
		return s.cfg.ProposalValidityDays
	}
	return DefaultProposalValidityDays
}

// propose stores a new pending proposal and its decision in tx.
func (s *Service) propose(tx Tx, actor tfpricing.Actor, kind ProposalKind, loanID string, request json.RawMessage) (Proposal, error) {
	today := s.Today()
	id, err := tx.NextProposalID()
	if err != nil {
		return Proposal{}, err
	}
	in := audit.ProposalInputs{ProposalID: id, Kind: string(kind), LoanID: loanID, Step: audit.StepProposed, On: today,
		ProposedBy: actor.KeyID, ValidityDays: s.validityDays(), Request: request}
	d, out, err := in.Decision()
	if err != nil {
		return Proposal{}, err
	}
	d.Actor, d.RecordedAt, d.BusinessDate = actor, s.cfg.Now().UTC(), today
	if err := tx.AppendDecision(&d); err != nil {
		return Proposal{}, err
	}
	p := Proposal{ID: id, Kind: kind, LoanID: loanID, Status: ProposalPending, ProposedBy: actor, ProposedOn: today,
		ExpiresOn: out.ExpiresOn, Request: d.Inputs, ProposalSeq: d.Seq}
	// Request is the recorded one, canonical: the proposal decision's
	// "request" member.
	var rec struct {
		Request json.RawMessage `json:"request"`
	}
	if err := json.Unmarshal(d.Inputs, &rec); err != nil {
		return Proposal{}, err
	}
	p.Request = rec.Request
	return p, tx.PutProposal(p)
}

// step records a proposal's approval, rejection or expiry in tx and
// stores the proposal with its new status.
func (s *Service) step(tx Tx, actor tfpricing.Actor, p Proposal, step audit.ProposalStep, reason string) (Proposal, error) {
	today := s.Today()
	in := audit.ProposalInputs{ProposalID: p.ID, Kind: string(p.Kind), LoanID: p.LoanID, Step: step, On: today,
		ProposedBy: p.ProposedBy.KeyID, ExpiresOn: p.ExpiresOn, Reason: reason}
	d, out, err := in.Decision()
	if err != nil {
		return Proposal{}, err
	}
	d.Actor, d.RecordedAt, d.BusinessDate = actor, s.cfg.Now().UTC(), today
	if err := tx.AppendDecision(&d); err != nil {
		return Proposal{}, err
	}
	p.Status, p.DecidedOn, p.Reason, p.DecisionSeq = ProposalStatus(out.Status), today, reason, d.Seq
	a := actor
	p.DecidedBy = &a
	return p, tx.PutProposal(p)
}

// expired reports whether a pending proposal is past its expiry date.
func (s *Service) expired(p Proposal) bool {
	return p.Status == ProposalPending && s.Today().After(p.ExpiresOn)
}

// system is the actor of the sweep and of lazy expiry.
var system = tfpricing.Actor{KeyID: "system", Role: "system"}

// Decide approves or rejects a pending proposal (DESIGN.md §5.1): the
// approving key must differ from the proposing one (EFORBIDDEN); anything
// not pending is ECONFLICT, including a proposal found expired, whose
// expiry is recorded first. An approval applies the proposal in the same
// transaction: only one of concurrent decisions on a proposal takes
// effect, the others find it decided.
func (s *Service) Decide(ctx context.Context, actor tfpricing.Actor, id string, approve bool, reason string) (Proposal, error) {
	s.publishMu.Lock() // an approved fixing must not interleave with a publication
	defer s.publishMu.Unlock()
	var p Proposal
	var expiredNow bool
	var kinds []audit.DecisionKind
	var fixing *approvedFixing
	err := s.cfg.Store.Update(ctx, func(tx Tx) error {
		expiredNow, kinds, fixing = false, kinds[:0], nil
		var err error
		if p, err = tx.Proposal(id); err != nil {
			return err
		}
		if s.expired(p) {
			expiredNow = true
			p, err = s.step(tx, system, p, audit.StepExpired, "")
			kinds = append(kinds, audit.DecisionProposalExpiry)
			return err
		}
		if p.Status != ProposalPending {
			return tfpricing.Errorf(tfpricing.ECONFLICT, "proposal %s is %s, not pending", p.ID, p.Status)
		}
		if actor.KeyID == p.ProposedBy.KeyID {
			return tfpricing.Errorf(tfpricing.EFORBIDDEN, "the key that proposed %s cannot approve or reject it", p.ID)
		}
		if !approve {
			p, err = s.step(tx, actor, p, audit.StepRejected, reason)
			kinds = append(kinds, audit.DecisionProposalRejection)
			return err
		}
		if p, err = s.step(tx, actor, p, audit.StepApproved, ""); err != nil {
			return err
		}
		kinds = append(kinds, audit.DecisionProposalApproval)
		var effect audit.DecisionKind
		switch p.Kind {
		case ProposalAmendment:
			p.EffectSeq, err = s.applyAmendment(tx, actor, p)
			effect = audit.DecisionAmendment
		case ProposalDeclassification:
			p.EffectSeq, err = s.applyDeclassification(tx, actor, p)
			effect = audit.DecisionDeclassification
		case ProposalLPRFixing:
			fixing, err = s.applyFixing(tx, p)
		}
		if err != nil {
			return err
		}
		if effect != "" {
			kinds = append(kinds, effect)
		}
		return tx.PutProposal(p)
	})
	if err != nil {
		return Proposal{}, err
	}
	s.decided(kinds...)
	if expiredNow {
		return p, tfpricing.Errorf(tfpricing.ECONFLICT, "proposal %s expired on %s", p.ID, p.ExpiresOn)
	}
	if fixing != nil {
		if _, err := s.afterFixing(ctx, actor, fixing); err != nil {
			return p, err
		}
	}
	if p.EffectSeq != 0 {
		s.recalculated(1)
	}
	return p, nil
}

// Proposal returns a proposal, expiring it first when it is past its date.
func (s *Service) Proposal(ctx context.Context, id string) (Proposal, error) {
	var p Proposal
	err := s.cfg.Store.View(ctx, func(tx Tx) (err error) { p, err = tx.Proposal(id); return })
	if err != nil || !s.expired(p) {
		return p, err
	}
	if _, err := s.ExpireProposals(ctx); err != nil {
		return p, err
	}
	err = s.cfg.Store.View(ctx, func(tx Tx) (err error) { p, err = tx.Proposal(id); return })
	return p, err
}

// Proposals returns a page of proposals matching f, after expiring those
// past their date.
func (s *Service) Proposals(ctx context.Context, f ProposalFilter, after string, limit int) ([]Proposal, bool, error) {
	if _, err := s.ExpireProposals(ctx); err != nil {
		return nil, false, err
	}
	var out []Proposal
	var more bool
	err := s.cfg.Store.View(ctx, func(tx Tx) (err error) { out, more, err = tx.Proposals(f, after, limit); return })
	return out, more, err
}

// ExpireProposals records the expiry of every pending proposal past its
// date (the sweep and lazy expiry) and returns how many expired. It writes
// only when there is one.
func (s *Service) ExpireProposals(ctx context.Context) (int, error) {
	pending := ProposalFilter{Status: ProposalPending}
	var due int
	err := s.cfg.Store.View(ctx, func(tx Tx) error {
		ps, _, err := tx.Proposals(pending, "", 1<<30)
		for _, p := range ps {
			if s.expired(p) {
				due++
			}
		}
		return err
	})
	if err != nil || due == 0 {
		return 0, err
	}
	var n int
	err = s.cfg.Store.Update(ctx, func(tx Tx) error {
		n = 0
		ps, _, err := tx.Proposals(pending, "", 1<<30)
		if err != nil {
			return err
		}
		for _, p := range ps {
			if !s.expired(p) {
				continue
			}
			if _, err := s.step(tx, system, p, audit.StepExpired, ""); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err == nil {
		for range n {
			s.decided(audit.DecisionProposalExpiry)
		}
	}
	return n, err
}
