package loanbook

import (
	"context"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/audit"
)

// Loan returns a loan and its materialised schedule: the schedule recorded
// by the loan's latest decision.
func (s *Service) Loan(ctx context.Context, id string) (Loan, pricing.Schedule, error) {
	var l Loan
	var sched pricing.Schedule
	err := s.cfg.Store.View(ctx, func(tx Tx) error {
		var err error
		if l, err = tx.Loan(id); err != nil {
			return err
		}
		st, err := tx.Schedule(id)
		if err != nil {
			return err
		}
		d, err := tx.Decision(st.DecisionSeq)
		if err != nil {
			return err
		}
		out, err := audit.DecodeLoanOutputs(d.Outputs)
		sched = out.Schedule
		return err
	})
	return l, sched, err
}

// Loans returns a page of loans in id order after the cursor.
func (s *Service) Loans(ctx context.Context, after string, limit int) ([]Loan, bool, error) {
	var out []Loan
	var more bool
	err := s.cfg.Store.View(ctx, func(tx Tx) error {
		var err error
		out, more, err = tx.Loans(after, limit)
		return err
	})
	return out, more, err
}

// Attestations returns a loan's attestations with their status as of the
// business date.
func (s *Service) Attestations(ctx context.Context, id string) ([]pricing.Attestation, pricing.Schedule, error) {
	_, atts, sched, err := s.recompute(ctx, id, s.Today())
	return atts, sched, err
}

// ScheduleAsOf recomputes a loan's schedule exactly as it stood on asOf:
// only attestations accepted and fixings effective by then count.
func (s *Service) ScheduleAsOf(ctx context.Context, id string, asOf tfpricing.Date) (Loan, pricing.Schedule, error) {
	l, _, sched, err := s.recompute(ctx, id, asOf)
	return l, sched, err
}

// recompute reads a loan and its attestations and computes its schedule as
// of asOf, in one read transaction.
func (s *Service) recompute(ctx context.Context, id string, asOf tfpricing.Date) (Loan, []pricing.Attestation, pricing.Schedule, error) {
	var l Loan
	var atts []pricing.Attestation
	var sched pricing.Schedule
	err := s.cfg.Store.View(ctx, func(tx Tx) error {
		var err error
		if l, err = tx.Loan(id); err != nil {
			return err
		}
		if atts, err = tx.Attestations(id); err != nil {
			return err
		}
		sched, err = s.compute(tx, l, atts, asOf)
		return err
	})
	return l, atts, sched, err
}
