package loanbook

import (
	"context"
	"slices"

	"tfpricing"
	"tfpricing/pricing/audit"
)

// Grounds are the grounds a declassification may state (DESIGN.md §5.1).
var Grounds = []string{"misreporting", "plan_abandoned", "verifier_withdrawn", "other"}

// DeclassificationRequest proposes to declassify a loan from EffectiveFrom.
type DeclassificationRequest struct {
	LoanID        string
	EffectiveFrom tfpricing.Date
	Ground        string
	Reason        string
}

// DeclassificationOf decodes a declassification proposal's request.
func DeclassificationOf(p Proposal) (DeclassificationRequest, error) {
	d, err := audit.DecodeDeclassification(p.Request)
	return DeclassificationRequest{LoanID: p.LoanID, EffectiveFrom: d.EffectiveFrom, Ground: d.Ground, Reason: d.Reason}, err
}

func (s *Service) checkDeclassification(l Loan, req DeclassificationRequest) error {
	if !slices.Contains(Grounds, req.Ground) {
		return tfpricing.Invalid([]tfpricing.FieldError{{Field: "ground", Code: "oneof", Message: "must be one of misreporting, plan_abandoned, verifier_withdrawn, other"}})
	}
	if today := s.Today(); req.EffectiveFrom.Before(today) {
		return refuse("effective_from", "before_business_date", "effective_from may not be before the business date %s", today)
	}
	if d := l.Lifecycle.Declassification; d != nil {
		return tfpricing.Errorf(tfpricing.ECONFLICT, "loan %s is already declassified from %s", l.ID, d.EffectiveFrom)
	}
	return nil
}

// ProposeDeclassification checks a declassification and records it as a
// pending proposal.
func (s *Service) ProposeDeclassification(ctx context.Context, actor tfpricing.Actor, req DeclassificationRequest) (Proposal, error) {
	var p Proposal
	err := s.cfg.Store.Update(ctx, func(tx Tx) error {
		l, err := tx.Loan(req.LoanID)
		if err != nil {
			return err
		}
		if err := s.checkDeclassification(l, req); err != nil {
			return err
		}
		request, err := audit.Declassification{EffectiveFrom: req.EffectiveFrom, Ground: req.Ground, Reason: req.Reason}.Encode()
		if err != nil {
			return err
		}
		p, err = s.propose(tx, actor, ProposalDeclassification, l.ID, request)
		return err
	})
	if err == nil {
		s.decided(audit.DecisionProposal)
	}
	return p, err
}

// applyDeclassification declassifies the loan, after checking again,
// recomputes its schedule and records the declassification decision.
func (s *Service) applyDeclassification(tx Tx, actor tfpricing.Actor, p Proposal) (uint64, error) {
	req, err := DeclassificationOf(p)
	if err != nil {
		return 0, err
	}
	l, err := tx.Loan(p.LoanID)
	if err != nil {
		return 0, err
	}
	if err := s.checkDeclassification(l, req); err != nil {
		return 0, err
	}
	d := &Declassification{EffectiveFrom: req.EffectiveFrom, Ground: req.Ground, Reason: req.Reason, ProposalID: p.ID,
		ApprovedOn: s.Today()}
	l.Lifecycle.Declassification = d
	seq, err := s.relife(tx, actor, l, audit.DecisionDeclassification, map[string]any{"event": "declassification",
		"proposal_id": p.ID, "effective_from": req.EffectiveFrom.String(), "ground": req.Ground})
	if err != nil {
		return 0, err
	}
	d.DecisionSeq = seq
	return seq, tx.PutLifecycle(l.ID, l.Lifecycle)
}
