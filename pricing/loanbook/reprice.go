package loanbook

import (
	"context"
	"fmt"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/audit"
)

// RunReport says what a repricing or sweep did.
type RunReport struct {
	Checked      int // active loans recalculated
	Changed      int // loans whose schedule or SPT status changed
	Transactions int
}

// PublishFixing validates and stores a new LPR fixing, then reprices every
// active loan in batches. A fixing must be later than every known fixing.
func (s *Service) PublishFixing(ctx context.Context, actor tfpricing.Actor, f pricing.Fixing) (RunReport, error) {
	s.publishMu.Lock()
	defer s.publishMu.Unlock()
	// The check and the write share a transaction that first catches up
	// with fixings other replicas published.
	var next pricing.Curve
	err := s.cfg.Store.Update(ctx, func(tx Tx) error {
		if _, err := s.refreshCurve(tx); err != nil {
			return err
		}
		var err error
		if next, err = s.nextCurve(f); err != nil {
			return err
		}
		return tx.PutFixing(f)
	})
	if err != nil {
		return RunReport{}, err
	}
	s.curve.Store(&next)
	// The fixing is durable before any loan is repriced; a crash between
	// batches leaves loans whose LatestFixing is behind, and the start-up
	// sweep finishes the job.
	return s.recalculate(ctx, actor, audit.DecisionRepricing, fixingEvent(f))
}

// nextCurve validates a new fixing, which must be later than every known
// one, and returns the curve with it.
func (s *Service) nextCurve(f pricing.Fixing) (pricing.Curve, error) {
	if err := f.Validate(); err != nil {
		return pricing.Curve{}, err
	}
	cur := s.Curve()
	if all := cur.Fixings(); len(all) > 0 && !f.EffectiveDate.After(all[len(all)-1].EffectiveDate) {
		latest := all[len(all)-1].EffectiveDate
		return pricing.Curve{}, &tfpricing.Error{Code: tfpricing.EUNPROCESSABLE,
			Message: fmt.Sprintf("a new fixing must be effective after the latest one (%s)", latest),
			Fields:  []tfpricing.FieldError{{Field: "effective_date", Code: "not_after_latest", Message: "must be after " + latest.String()}}}
	}
	return cur.With(f)
}

// fixingEvent is the event of the repricing decisions a fixing causes.
func fixingEvent(f pricing.Fixing) map[string]any {
	return map[string]any{"event": "lpr_fixing", "effective_date": f.EffectiveDate.String(),
		"one_year": pricing.FormatRate(f.OneYear), "five_year": pricing.FormatRate(f.FiveYear)}
}

// Sweep recalculates every active loan as of the business date: due dates
// that passed without an on-time attestation become not_reported, fixings
// that came into force are applied. It runs at start-up, daily and on
// demand, and is idempotent: a loan whose schedule did not change is not
// rewritten.
func (s *Service) Sweep(ctx context.Context, actor tfpricing.Actor) (RunReport, error) {
	if _, err := s.ExpireProposals(ctx); err != nil {
		return RunReport{}, err
	}
	return s.recalculate(ctx, actor, audit.DecisionSweep, map[string]any{"event": "sweep"})
}

// recalcLoan recomputes one loan as of today and stores the schedule when
// it differs from the materialised one.
func (s *Service) recalcLoan(tx Tx, l Loan, today tfpricing.Date, actor tfpricing.Actor,
	kind audit.DecisionKind, event map[string]any) (bool, error) {
	view, err := s.loanView(tx, l.ID, false)
	if err != nil {
		return false, err
	}
	prev := view.state
	sched, err := s.compute(tx, l, view.atts, today)
	if err != nil {
		return false, err
	}
	latest := s.latestFixing(today)
	if prev.Same(sched) {
		if prev.LatestFixing == latest {
			return false, nil
		}
		// Nothing the borrower pays changed: note the fixing seen, so an
		// interrupted repricing is not redone, but decide nothing.
		prev.LatestFixing = latest
		prev.AttChain = view.chain
		return false, tx.PutSchedule(prev)
	}
	if kind == audit.DecisionSweep && prev.LatestFixing != latest {
		kind = audit.DecisionRepricing
	}
	dec, err := s.recordLoan(tx, kind, actor, l, view.chain, today, event, prev.Rates, sched)
	if err != nil {
		return false, err
	}
	st := NewScheduleState(l.ID, sched, latest, prev.Revision+1, dec.Seq)
	st.AttChain = view.chain
	return true, tx.PutSchedule(st)
}
