package loanbook

import (
	"context"
	"slices"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/audit"
)

// Loan returns a loan and its materialised schedule: the schedule recorded
// by the loan's latest decision (its attestation statuses recomputed in the
// same transaction when the decision keeps them by digest, outputs layout
// 2).
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
		if err != nil {
			return err
		}
		sched = out.Schedule
		sched.Attestations, err = s.decisionStatuses(tx, d, out)
		return err
	})
	return l, sched, err
}

// Attestations returns a loan's attestations with their status as of the
// business date.
func (s *Service) Attestations(ctx context.Context, id string) ([]pricing.Attestation, pricing.Schedule, error) {
	_, atts, sched, err := s.recompute(ctx, id, s.Today())
	return slices.Clone(atts), sched, err
}

// ScheduleAsOf recomputes a loan's schedule exactly as it stood on asOf:
// only attestations accepted and fixings effective by then count.
func (s *Service) ScheduleAsOf(ctx context.Context, id string, asOf tfpricing.Date) (Loan, pricing.Schedule, error) {
	l, _, sched, err := s.recompute(ctx, id, asOf)
	return l, sched, err
}

// SPTs returns the status of each of a loan's sustainability performance
// targets as of asOf, exactly as the schedule as of asOf reports them.
func (s *Service) SPTs(ctx context.Context, id string, asOf tfpricing.Date) ([]pricing.SPTStatus, error) {
	_, _, sched, err := s.recompute(ctx, id, asOf)
	return sched.SPTs, err
}

// recompute reads a loan and its attestations and computes its schedule as
// of asOf, in one read transaction. The loan and its attestations come from
// the loan cache when the transaction's own schedule stamp or attestation
// chain says they are current (loanView), so a read does not decode the
// loan's whole history, and the schedule computed from them is kept with
// them for the next read of the same date on the same curve. The
// attestations and schedule returned are shared: callers must not modify
// them.
func (s *Service) recompute(ctx context.Context, id string, asOf tfpricing.Date) (Loan, []pricing.Attestation, pricing.Schedule, error) {
	var l Loan
	var atts []pricing.Attestation
	var sched pricing.Schedule
	err := s.cfg.Store.View(ctx, func(tx Tx) error {
		v, err := s.loanView(tx, id, true)
		if err != nil {
			return err
		}
		l, atts = v.loan, v.atts[:len(v.atts):len(v.atts)] // no room to append into (withAttestation)
		// curveIn reloads the curve when another replica published a
		// fixing this transaction sees, so the pointer below is current.
		if _, err := s.curveIn(tx); err != nil {
			return err
		}
		curve := s.curve.Load()
		if c := v.computed.Load(); c != nil && c.asOf == asOf && c.curve == curve {
			sched = c.sched
			return nil
		}
		sched, err = s.computeOn(tx, l, atts, asOf, *curve)
		if err == nil {
			v.computed.Store(&computedSchedule{asOf: asOf, curve: curve, sched: sched})
		}
		return err
	})
	return l, atts, sched, err
}

// decisionStatuses returns every attestation status of the schedule loan
// decision d recorded in out, recomputed in tx when the outputs keep them
// by digest (layout 2; see audit.LoanStatuses). The current curve holds
// every fixing the decision used.
func (s *Service) decisionStatuses(tx Tx, d audit.Decision, out audit.LoanOutputs) ([]pricing.AttestationStatus, error) {
	if out.Statuses == nil {
		return out.Schedule.Attestations, nil
	}
	if d.Policy == nil {
		return nil, tfpricing.Errorf(tfpricing.EINTERNAL, "decision %d names no policy", d.Seq)
	}
	p, err := s.policy(tx, *d.Policy)
	if err != nil {
		return nil, err
	}
	return audit.LoanStatuses(d, out, tx, p, *s.curve.Load())
}
