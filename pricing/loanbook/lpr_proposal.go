package loanbook

import (
	"context"
	"encoding/json"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/audit"
	"tfpricing/pricing/canon"
)

// FourEyes reports whether LPR fixings need an approver
// (lifecycle.four_eyes_reference_data).
func (s *Service) FourEyes() bool { return s.cfg.FourEyesReferenceData }

type fixingRecord struct {
	EffectiveDate string `json:"effective_date"`
	FiveYear      string `json:"five_year"`
	OneYear       string `json:"one_year"`
}

// FixingOf decodes an lpr_fixing proposal's request.
func FixingOf(p Proposal) (pricing.Fixing, error) {
	var rec fixingRecord
	if err := json.Unmarshal(p.Request, &rec); err != nil {
		return pricing.Fixing{}, err
	}
	d, err := tfpricing.ParseDate(rec.EffectiveDate)
	if err != nil {
		return pricing.Fixing{}, err
	}
	one, err := decimal.NewFromString(rec.OneYear)
	if err != nil {
		return pricing.Fixing{}, err
	}
	five, err := decimal.NewFromString(rec.FiveYear)
	return pricing.Fixing{EffectiveDate: d, OneYear: one, FiveYear: five}, err
}

// ProposeFixing checks an LPR fixing as PublishFixing would and records it
// as a pending lpr_fixing proposal; only its approval publishes it.
func (s *Service) ProposeFixing(ctx context.Context, actor tfpricing.Actor, f pricing.Fixing) (Proposal, error) {
	s.publishMu.Lock()
	defer s.publishMu.Unlock()
	if _, err := s.nextCurve(f); err != nil {
		return Proposal{}, err
	}
	request, err := canon.Marshal(fixingRecord{EffectiveDate: f.EffectiveDate.String(),
		OneYear: pricing.NormalString(f.OneYear), FiveYear: pricing.NormalString(f.FiveYear)})
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
