package loanbook

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"tfpricing"
	"tfpricing/pricing/audit"
)

// Repricing 100,000 loans must take seconds, and a bbolt write transaction
// runs on one goroutine: done inside it, the reading, recomputing and
// encoding of every loan used one core while the other idled. So each batch
// is planned first — on every core, in read transactions, while the
// previous batch is being written — and the write transaction only checks
// that each planned loan is still as it was read, appends the prepared
// decision and stores the new state. A loan that moved in between (an
// attestation arrived) is recomputed inside the write transaction, exactly
// as before, so the result is the same as a fully serial run.

// loanPlan is one loan's recalculation worked out in a read transaction.
type loanPlan struct {
	loan Loan
	// prev is the state the plan was computed from; the plan holds only if
	// the stored state is still this one.
	prev ScheduleState
	// touch: nothing the borrower pays changed, only the fixing seen moves.
	touch  bool
	latest tfpricing.Date
	// decision and state are set when the schedule changed; state's
	// DecisionSeq is filled in once the decision is appended.
	decision *audit.Decision
	state    ScheduleState
	// view is the loan as the plan read it (its attestations and their
	// chain), for the cache once the plan is committed; memo is the
	// ratchet memo of its attestations the plan computed (nil: none).
	view *loanView
	memo *ratchetMemo
}

// plannedBatch is one page of the loan book, planned.
type plannedBatch struct {
	today tfpricing.Date
	plans []loanPlan // active loans whose state must be written, in id order
	// checked counts the active loans examined.
	checked int
	err     error
}

// recalculate walks the loan book in batches of cfg.BatchSize loans, one
// write transaction per batch, rewriting the schedules that changed and
// recording a decision for each, in loan id order. A sweep that finds a loan
// behind the latest fixing records a repricing: that is what changed it.
func (s *Service) recalculate(ctx context.Context, actor tfpricing.Actor, kind audit.DecisionKind, event map[string]any) (RunReport, error) {
	ctx, cancel := context.WithCancel(ctx)
	batches := make(chan plannedBatch, 1) // plan one batch ahead of the writer
	go s.planBatches(ctx, actor, kind, event, batches)
	defer func() {
		cancel()
		for range batches { // let the planner finish before returning
		}
	}()
	var rep RunReport
	for b := range batches {
		if b.err != nil {
			return rep, b.err
		}
		changed := 0
		var fresh []*loanView
		err := s.cfg.Store.Update(ctx, func(tx Tx) error {
			changed, fresh = 0, fresh[:0]
			moved, err := s.refreshCurve(tx)
			if err != nil {
				return err
			}
			for i := range b.plans {
				var c bool
				var err error
				if moved { // planned on a curve another replica has since extended
					c, err = s.recalcLoan(tx, b.plans[i].loan, s.Today(), actor, kind, event)
				} else {
					var v *loanView
					c, v, err = s.applyPlan(tx, &b.plans[i], b.today, actor, kind, event)
					if v != nil {
						fresh = append(fresh, v)
					}
				}
				if err != nil {
					return fmt.Errorf("loan %s: %w", b.plans[i].loan.ID, err)
				}
				if c {
					changed++
				}
			}
			return nil
		})
		if err != nil {
			return rep, err
		}
		for _, v := range fresh { // durable now
			s.views.put(v)
		}
		rep.Transactions++
		rep.Checked += b.checked
		rep.Changed += changed
		s.recalculated(changed)
		for range changed {
			s.decided(kind)
		}
	}
	return rep, ctx.Err()
}

// planBatches lists the loan book page by page and plans each page, sending
// the batches in order; it closes out when done, failed or cancelled.
func (s *Service) planBatches(ctx context.Context, actor tfpricing.Actor, kind audit.DecisionKind,
	event map[string]any, out chan<- plannedBatch) {
	defer close(out)
	after := ""
	for {
		b := plannedBatch{today: s.Today()}
		var loans []Loan
		more := false
		err := s.cfg.Store.View(ctx, func(tx Tx) error {
			if _, err := s.refreshCurve(tx); err != nil {
				return err
			}
			var err error
			loans, more, err = tx.Loans(after, s.cfg.BatchSize)
			return err
		})
		if err == nil {
			b.plans, b.checked, err = s.planLoans(ctx, loans, b.today, actor, kind, event)
		}
		b.err = err
		select {
		case out <- b:
		case <-ctx.Done():
			return
		}
		if err != nil || !more || len(loans) == 0 {
			return
		}
		after = loans[len(loans)-1].ID
	}
}

// planLoans plans loans on every core, each worker in its own read
// transaction over a contiguous share, and keeps the loans to write in order.
func (s *Service) planLoans(ctx context.Context, loans []Loan, today tfpricing.Date, actor tfpricing.Actor,
	kind audit.DecisionKind, event map[string]any) ([]loanPlan, int, error) {
	plans := make([]loanPlan, len(loans))
	write := make([]bool, len(loans))
	active := make([]bool, len(loans))
	workers := min(runtime.GOMAXPROCS(0), max(1, len(loans)/16))
	share := (len(loans) + workers - 1) / workers
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := min(w*share, len(loans)), min((w+1)*share, len(loans))
		wg.Go(func() {
			errs[w] = s.cfg.Store.View(ctx, func(tx Tx) error {
				for i := lo; i < hi; i++ {
					if !loans[i].Active(today) {
						continue
					}
					active[i] = true
					var err error
					if plans[i], write[i], err = s.planLoan(tx, loans[i], today, actor, kind, event); err != nil {
						return fmt.Errorf("loan %s: %w", loans[i].ID, err)
					}
				}
				return nil
			})
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, 0, err
		}
	}
	var out []loanPlan
	checked := 0
	for i := range loans {
		if active[i] {
			checked++
		}
		if write[i] {
			out = append(out, plans[i])
		}
	}
	return out, checked, nil
}

// planLoan recomputes one loan as recalcLoan does, without writing; write
// is false when the stored state already holds.
func (s *Service) planLoan(tx Tx, l Loan, today tfpricing.Date, actor tfpricing.Actor,
	kind audit.DecisionKind, event map[string]any) (loanPlan, bool, error) {
	view, err := s.loanView(tx, l.ID, true)
	if err != nil {
		return loanPlan{}, false, err
	}
	prev := view.state
	atts := view.atts[:len(view.atts):len(view.atts)]
	sched, memo, err := s.computeMemo(tx, l, view.memo(), atts, today)
	if err != nil {
		return loanPlan{}, false, err
	}
	if memo != nil {
		view.ratchet.CompareAndSwap(nil, memo) // over the view's own attestations
	}
	p := loanPlan{loan: l, prev: prev, latest: s.latestFixing(today), view: view, memo: memo}
	if prev.Same(sched) {
		p.touch = true
		return p, prev.LatestFixing != p.latest, nil
	}
	if kind == audit.DecisionSweep && prev.LatestFixing != p.latest {
		kind = audit.DecisionRepricing
	}
	var hash *audit.StatusHash
	hash, p.memo = memo.statusHash(sched)
	d, err := s.loanDecision(kind, actor, l, view.chain, nil, today, event, prev.Rates, sched, hash)
	if err != nil {
		return loanPlan{}, false, err
	}
	p.decision, p.state = &d, NewScheduleState(l.ID, sched, p.latest, prev.Revision+1, 0)
	p.state.AttChain = view.chain
	return p, true, nil
}

// applyPlan stores a plan in the write transaction, or recomputes the loan
// there when its state moved since the plan was made. It must leave the
// plan unchanged: the store may run the transaction's function again.
// The view returned, when not nil, is the loan as it stands once the
// transaction commits (for the cache, only then).
func (s *Service) applyPlan(tx Tx, p *loanPlan, today tfpricing.Date, actor tfpricing.Actor,
	kind audit.DecisionKind, event map[string]any) (bool, *loanView, error) {
	stamp, err := tx.ScheduleStamp(p.loan.ID)
	if err != nil {
		return false, nil, err
	}
	if stamp != p.prev.Stamp() || today != s.Today() {
		c, err := s.recalcLoan(tx, p.loan, s.Today(), actor, kind, event)
		return c, nil, err
	}
	st, changed := p.prev, false
	if p.touch {
		st.LatestFixing = p.latest
	} else {
		d := *p.decision
		d.RecordedAt = s.cfg.Now().UTC()
		if err := tx.AppendDecision(&d); err != nil {
			return false, nil, err
		}
		st, changed = p.state, true
		st.DecisionSeq = d.Seq
	}
	st.AttChain = p.view.chain
	v := newLoanView(p.view.loan, st, p.view.atts, p.view.chain, true)
	v.spare = p.view.spare // the same attestations (withAttestation)
	if p.memo != nil {
		v.ratchet.Store(p.memo)
	}
	return changed, v, tx.PutSchedule(st)
}
