package loanbook

import (
	"context"
	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/audit"
)

// FourEyes reports whether LPR fixings need an approver
// (lifecycle.four_eyes_reference_data).
func (s *Service) FourEyes() bool { return s.cfg.FourEyesReferenceData }

// FixingOf decodes an lpr_fixing proposal's request.
func FixingOf(p Proposal) (pricing.Fixing, error) { return audit.DecodeFixingRequest(p.Request) }

// ProposeFixing checks an LPR fixing as PublishFixing would and records it
// as a pending lpr_fixing proposal; only its approval publishes it.
func (s *Service) ProposeFixing(ctx context.Context, actor tfpricing.Actor, f pricing.Fixing) (Proposal, error) {
	s.publishMu.Lock()
	defer s.publishMu.Unlock()
	if _, err := s.nextCurve(f); err != nil {
		return Proposal{}, err
	}
	request, err := audit.EncodeFixingRequest(f)
	if err != nil {
		return Proposal{}, err
	}
	var p Proposal
	err = s.cfg.Store.Update(ctx, func(tx Tx) (err error) {
		p, err = s.propose(tx, actor, ProposalLPRFixing, "", request)
		return err
	})
	if err == nil {
		s.decided(audit.DecisionProposal)
	}
	return p, err
}

// approvedFixing is a fixing stored by an approval, to reprice with after
// the approval commits.
type approvedFixing struct {
	fixing pricing.Fixing
	next   pricing.Curve
}

// applyFixing stores an approved fixing in the approval's transaction.
func (s *Service) applyFixing(tx Tx, p Proposal) (*approvedFixing, error) {
	f, err := FixingOf(p)
	if err != nil {
		return nil, err
	}
	if _, err := s.refreshCurve(tx); err != nil { // another replica's fixings first
		return nil, err
	}
	next, err := s.nextCurve(f)
	if err != nil {
		return nil, err
	}
	return &approvedFixing{fixing: f, next: next}, tx.PutFixing(f)
}

// afterFixing installs the approved fixing and reprices every active loan,
// as PublishFixing does.
func (s *Service) afterFixing(ctx context.Context, actor tfpricing.Actor, a *approvedFixing) (RunReport, error) {
	s.curve.Store(&a.next)
	return s.recalculate(ctx, actor, audit.DecisionRepricing, fixingEvent(a.fixing))
}
