package loanbook

import (
	"context"
	"fmt"
	"slices"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/catalog"
	"tfpricing/pricing"
	"tfpricing/pricing/audit"
)

// ReasonCodes are the reasons an amendment may give (DESIGN.md §5.1).
var ReasonCodes = []string{"restatement", "methodology_change", "standard_revision", "structural_change", "other"}

// AmendmentRequest proposes a loan's complete new KPI list from
// EffectiveFrom. KPIs are as the client stated them; they are resolved
// against the loan's catalogue version.
type AmendmentRequest struct {
	LoanID        string
	EffectiveFrom tfpricing.Date
	ReasonCode    string
	Reason        string
	KPIs          []pricing.KPI
}

// AmendmentOf decodes an amendment proposal's request.
func AmendmentOf(p Proposal) (AmendmentRequest, error) {
	a, err := audit.DecodeAmendment(p.Request)
	return AmendmentRequest{LoanID: p.LoanID, EffectiveFrom: a.EffectiveFrom, ReasonCode: a.ReasonCode, Reason: a.Reason,
		KPIs: a.KPIs}, err
}

// ProposeAmendment checks an amendment and records it as a pending
// proposal. The refusals (422) are those of DESIGN.md §5.1; an amended plan
// that is not eligible carries the assessment in the error's "assessment"
// extension (a catalog.Assessment).
func (s *Service) ProposeAmendment(ctx context.Context, actor tfpricing.Actor, req AmendmentRequest) (Proposal, error) {
	var p Proposal
	err := s.cfg.Store.Update(ctx, func(tx Tx) error {
		l, err := tx.Loan(req.LoanID)
		if err != nil {
			return err
		}
		kpis, _, err := s.checkAmendment(tx, l, req)
		if err != nil {
			return err
		}
		request, err := audit.Amendment{EffectiveFrom: req.EffectiveFrom, ReasonCode: req.ReasonCode, Reason: req.Reason,
			KPIs: kpis}.Encode()
		if err != nil {
			return err
		}
		p, err = s.propose(tx, actor, ProposalAmendment, l.ID, request)
		return err
	})
	if err == nil {
		s.decided(audit.DecisionProposal)
	}
	return p, err
}

func refuse(field, code, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	return &tfpricing.Error{Code: tfpricing.EUNPROCESSABLE, Message: msg,
		Fields: []tfpricing.FieldError{{Field: field, Code: code, Message: msg}}}
}

// catalogueOf returns the catalogue version a loan was assessed under:
// configured, or re-read from its stored canonical document.
func (s *Service) catalogueOf(tx Tx, l Loan) (*catalog.Catalogue, error) {
	if s.cfg.Catalogues != nil {
		if c, ok := s.cfg.Catalogues.ByDigest(l.Catalogue.Digest); ok {
			return c, nil
		}
	}
	doc, err := tx.Document(audit.DocCatalogue, l.Catalogue.Digest)
	if err != nil {
		return nil, err
	}
	return catalog.Parse("stored catalogue "+l.Catalogue.Digest, doc)
}

// checkAmendment runs the checks of DESIGN.md §5.1 against the loan's
// current plan (its latest version) and returns the resolved KPIs and the
// amended plan's tier.
func (s *Service) checkAmendment(tx Tx, l Loan, req AmendmentRequest) ([]pricing.KPI, catalog.Tier, error) {
	today := s.Today()
	if !slices.Contains(ReasonCodes, req.ReasonCode) {
		return nil, "", tfpricing.Invalid([]tfpricing.FieldError{{Field: "reason_code", Code: "oneof",
			Message: fmt.Sprintf("must be one of %v", ReasonCodes)}})
	}
	cat, err := s.catalogueOf(tx, l)
	if err != nil {
		return nil, "", err
	}
	plan := catalog.Plan{Borrower: l.Borrower, PathwayID: l.PathwayID, AsOf: req.EffectiveFrom}
	for _, k := range req.KPIs {
		plan.KPIs = append(plan.KPIs, k.KPI)
	}
	if err := plan.Validate(); err != nil {
		return nil, "", err
	}
	if ind, ok := cat.IndustryFor(l.Borrower.IndustryCode); ok {
		if plan.KPIs, err = cat.ResolveKPIs(ind, plan.KPIs); err != nil {
			return nil, "", err
		}
	}
	kpis := make([]pricing.KPI, len(req.KPIs))
	for i, k := range req.KPIs {
		kpis[i] = pricing.KPI{KPI: plan.KPIs[i], StepDownBp: k.StepDownBp, StepUpBp: k.StepUpBp}
	}
	terms := l.Terms
	terms.KPIs = kpis
	if err := terms.Validate(); err != nil {
		return nil, "", err
	}
	// Bad input (400) is reported before any business rule refuses (422).
	if req.EffectiveFrom.Before(today) {
		return nil, "", refuse("effective_from", "before_business_date", "effective_from may not be before the business date %s", today)
	}
	cur := l.Terms
	if n := len(l.Lifecycle.Plans); n > 0 {
		last := l.Lifecycle.Plans[n-1]
		cur.KPIs, cur.Tier = last.KPIs, last.Tier
		if req.EffectiveFrom.Before(last.EffectiveFrom) {
			return nil, "", refuse("effective_from", "before_latest_version",
				"effective_from may not be before plan version %d's %s", last.Version, last.EffectiveFrom)
		}
	}
	if d := l.Lifecycle.Declassification; d != nil {
		return nil, "", tfpricing.Errorf(tfpricing.EUNPROCESSABLE, "loan %s is declassified from %s", l.ID, d.EffectiveFrom)
	}
	p, err := s.policy(tx, l.Policy)
	if err != nil {
		return nil, "", err
	}
	if err := pastYearsKept(cur.KPIs, kpis, req.EffectiveFrom, p.Ratchet.GraceDays); err != nil {
		return nil, "", err
	}
	a := cat.Assess(plan)
	if !a.Eligible {
		return nil, "", &tfpricing.Error{Code: tfpricing.EUNPROCESSABLE,
			Message:    "the amended plan is not eligible under " + cat.ID + " " + cat.Version + "; see checks",
			Extensions: map[string]any{"assessment": a}}
	}
	return kpis, a.Tier, nil
}

// pastYearsKept refuses an amendment that rewrites a year whose reporting
// deadline is before effective_from: a kept KPI's targets for such years
// must be the current plan's, and no new or changed target may have one.
func pastYearsKept(cur, next []pricing.KPI, eff tfpricing.Date, graceDays int) error {
	past := func(y int) bool { return pricing.DueDate(y, graceDays).Before(eff) }
	for i, k := range next {
		j := slices.IndexFunc(cur, func(c pricing.KPI) bool { return c.MetricID == k.MetricID })
		if j < 0 {
			for t, tg := range k.Targets {
				if past(tg.Year) {
					return refuse(fmt.Sprintf("kpis[%d].targets[%d].year", i, t), "past_deadline",
						"a new KPI's target for %d is past its reporting deadline %s", tg.Year, pricing.DueDate(tg.Year, graceDays))
				}
			}
			continue
		}
		old := map[int]decimal.Decimal{}
		for _, tg := range cur[j].Targets {
			if past(tg.Year) {
				old[tg.Year] = tg.Value
			}
		}
		for t, tg := range k.Targets {
			if !past(tg.Year) {
				continue
			}
			if v, ok := old[tg.Year]; !ok || !tg.Value.Equal(v) {
				return refuse(fmt.Sprintf("kpis[%d].targets[%d]", i, t), "past_deadline",
					"the %d target is past its reporting deadline %s and must stay as it is", tg.Year, pricing.DueDate(tg.Year, graceDays))
			}
			delete(old, tg.Year)
		}
		for _, tg := range cur[j].Targets {
			if _, dropped := old[tg.Year]; dropped {
				return refuse(fmt.Sprintf("kpis[%d].targets", i), "past_deadline",
					"the %d target is past its reporting deadline %s and must stay as it is", tg.Year, pricing.DueDate(tg.Year, graceDays))
			}
		}
	}
	return nil
}

// applyAmendment adds the approved amendment's plan version to the loan,
// after checking it again, recomputes the schedule and records the
// amendment decision; it returns the decision's sequence.
func (s *Service) applyAmendment(tx Tx, actor tfpricing.Actor, p Proposal) (uint64, error) {
	req, err := AmendmentOf(p)
	if err != nil {
		return 0, err
	}
	l, err := tx.Loan(p.LoanID)
	if err != nil {
		return 0, err
	}
	kpis, tier, err := s.checkAmendment(tx, l, req)
	if err != nil {
		return 0, err
	}
	v := PlanRecord{PlanVersion: pricing.PlanVersion{Version: len(l.Lifecycle.Plans) + 2, EffectiveFrom: req.EffectiveFrom,
		Tier: tier, KPIs: kpis}, ReasonCode: req.ReasonCode, Reason: req.Reason, ProposalID: p.ID, ApprovedOn: s.Today()}
	l.Lifecycle.Plans = append(slices.Clone(l.Lifecycle.Plans), v)
	event := map[string]any{"event": "amendment", "proposal_id": p.ID, "plan_version": v.Version,
		"effective_from": req.EffectiveFrom.String(), "reason_code": req.ReasonCode, "tier": string(tier)}
	seq, err := s.relife(tx, actor, l, audit.DecisionAmendment, event)
	if err != nil {
		return 0, err
	}
	l.Lifecycle.Plans[len(l.Lifecycle.Plans)-1].DecisionSeq = seq
	return seq, tx.PutLifecycle(l.ID, l.Lifecycle)
}

// relife recomputes a loan whose lifecycle changed, as of the business
// date, and records the decision and the new schedule state.
func (s *Service) relife(tx Tx, actor tfpricing.Actor, l Loan, kind audit.DecisionKind, event map[string]any) (uint64, error) {
	today := s.Today()
	view, err := s.loanView(tx, l.ID, false)
	if err != nil {
		return 0, err
	}
	prev := view.state
	sched, err := s.compute(tx, l, view.atts, today)
	if err != nil {
		return 0, err
	}
	dec, err := s.recordLoan(tx, kind, actor, l, view.chain, today, event, prev.Rates, sched)
	if err != nil {
		return 0, err
	}
	st := NewScheduleState(l.ID, sched, s.latestFixing(today), prev.Revision+1, dec.Seq)
	st.AttChain = view.chain
	return dec.Seq, tx.PutSchedule(st)
}
