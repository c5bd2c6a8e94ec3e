package loanbook

import (
	"context"

	"tfpricing"
	"tfpricing/pricing/audit"
)

// RecordOpinion records a loan's second-party opinion (external review),
// at booking or later, as a sealed decision, replacing an earlier one in
// the loan's lifecycle (both stay in the decision trail). The opinion's
// date may not be after the business date.
func (s *Service) RecordOpinion(ctx context.Context, actor tfpricing.Actor, o audit.SecondPartyOpinion) (Opinion, error) {
	today := s.Today()
	if o.Date.After(today) {
		return Opinion{}, refuse("date", "after_business_date", "the opinion's date may not be after the business date %s", today)
	}
	d, err := o.Decision(today)
	if err != nil {
		return Opinion{}, tfpricing.Invalid([]tfpricing.FieldError{{Field: "report_sha256", Code: "invalid", Message: err.Error()}})
	}
	var out Opinion
	err = s.cfg.Store.Update(ctx, func(tx Tx) error {
		l, err := tx.Loan(o.LoanID)
		if err != nil {
			return err
		}
		rec := d
		rec.QuoteID, rec.Actor, rec.RecordedAt, rec.BusinessDate = l.QuoteID, actor, s.cfg.Now().UTC(), today
		if err := tx.AppendDecision(&rec); err != nil {
			return err
		}
		out = Opinion{SecondPartyOpinion: o, DecisionSeq: rec.Seq}
		l.Lifecycle.Opinion = &out
		return tx.PutLifecycle(l.ID, l.Lifecycle)
	})
	if err == nil {
		s.decided(audit.DecisionSecondPartyOpinion)
	}
	return out, err
}
