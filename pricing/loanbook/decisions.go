package loanbook

import (
	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/audit"
)

// recordLoan appends the decision that explains a loan's new schedule, in
// the transaction that stores it.
func (s *Service) recordLoan(tx Tx, kind audit.DecisionKind, actor tfpricing.Actor, l Loan,
	atts []pricing.Attestation, asOf tfpricing.Date, event any, prev []audit.PeriodRate, cur pricing.Schedule) (audit.Decision, error) {
	d, err := s.loanDecision(kind, actor, l, atts, asOf, event, prev, cur)
	if err != nil {
		return audit.Decision{}, err
	}
	d.RecordedAt = s.cfg.Now().UTC()
	if err := tx.AppendDecision(&d); err != nil {
		return audit.Decision{}, err
	}
	return d, nil
}

// loanDecision builds, without storing, the decision that explains a loan's
// new schedule. Its inputs are everything replay needs: the frozen terms,
// every attestation known to the loan, the as-of date and the schedule's
// rates before the event; its outputs are the schedule and the periods whose
// rate moved. Sequence, time and hashes are set when it is appended.
func (s *Service) loanDecision(kind audit.DecisionKind, actor tfpricing.Actor, l Loan,
	atts []pricing.Attestation, asOf tfpricing.Date, event any, prev []audit.PeriodRate, cur pricing.Schedule) (audit.Decision, error) {
	in, err := audit.NewLoanInputsFromRates(l.ID, l.Terms, atts, asOf, event, prev)
	if err != nil {
		return audit.Decision{}, err
	}
	in.Lifecycle = l.Lifecycle.Pricing()
	d, err := in.Decision(kind, cur, l.Policy, l.Catalogue)
	if err != nil {
		return audit.Decision{}, err
	}
	d.QuoteID, d.Actor, d.BusinessDate = l.QuoteID, actor, s.Today()
	return d, nil
}

// decided tells the metrics hook about committed decisions.
func (s *Service) decided(kinds ...audit.DecisionKind) {
	o := s.observer.Load()
	if o == nil || o.Decided == nil {
		return
	}
	for _, k := range kinds {
		o.Decided(string(k))
	}
}
