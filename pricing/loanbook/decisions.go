package loanbook

import (
	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/audit"
)

// recordLoan appends the decision that explains a loan's new schedule, in
// the transaction that stores it.
func (s *Service) recordLoan(tx Tx, kind audit.DecisionKind, actor tfpricing.Actor, l Loan, earlier audit.AttestationChain,
	asOf tfpricing.Date, event any, prev []audit.PeriodRate, cur pricing.Schedule) (audit.Decision, error) {
	d, err := s.loanDecision(kind, actor, l, earlier, nil, asOf, event, prev, cur, nil)
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
// the attestations known to the loan — the earlier ones by reference
// (loan inputs layout 2: their count, last sequence and chain), those the
// event introduced in full — the as-of date and the schedule's rates
// before the event; its outputs are the schedule and the periods whose
// rate moved. Its size and cost do not grow with the loan's history.
// Sequence, time and hashes are set when it is appended. hash, when not
// nil, is the hash of cur's attestation statuses (audit.HashStatuses).
func (s *Service) loanDecision(kind audit.DecisionKind, actor tfpricing.Actor, l Loan, earlier audit.AttestationChain,
	introduced []pricing.Attestation, asOf tfpricing.Date, event any, prev []audit.PeriodRate, cur pricing.Schedule,
	hash *audit.StatusHash) (audit.Decision, error) {
	in, err := audit.NewLoanInputsFromRates(l.ID, l.Terms, introduced, asOf, event, prev)
	if err != nil {
		return audit.Decision{}, err
	}
	in.Earlier = &earlier
	in.Lifecycle = l.Lifecycle.Pricing()
	d, err := in.DecisionHashed(kind, cur, l.Policy, l.Catalogue, hash)
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
