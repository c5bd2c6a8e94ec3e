package pricing

import (
	"context"
	"hash/fnv"
	"runtime"
	"sync"

	"github.com/shopspring/decimal"

	"tfpricing"
)

// bookEntry is one distinct outcome vector of a loan: its income and
// difference from the neutral schedule in fen, and the limits it hits.
type bookEntry struct {
	done               bool
	income, diff       int64
	floor, cap, dlimit bool
}

// bookAcc accumulates one worker's share of a scenario: per run the book's
// income and per run and industry, all in fen; loan-run counts of limits.
type bookAcc struct {
	runs                   int
	book                   []int64
	ind                    []int64 // run*nInd + industry
	down, up               []int64 // per industry, summed over runs
	floor, cap, dlimit     int64
	floorAny, capAny, dAny int
	distinct               int
}

// bookLoanRun is a prepared loan in one scenario.
type bookLoanRun struct {
	l       *BookLoan
	ind     int
	pending []SPTStatus
	in      Input // the scenario's input; Assumptions set per vector
}

// fenOf converts an amount to integer fen; amounts have 2 decimals.
func fenOf(d decimal.Decimal) int64 { return d.Shift(2).IntPart() }

// evaluate computes the schedule of one outcome vector (bit j set: the
// j-th pending SPT met).
func (r *bookLoanRun) evaluate(mask uint32) (bookEntry, error) {
	in := r.in
	in.Assumptions.Outcomes = map[string]map[int]Outcome{}
	for j, s := range r.pending {
		o := Missed
		if mask&(1<<j) != 0 {
			o = Met
		}
		if in.Assumptions.Outcomes[s.MetricID] == nil {
			in.Assumptions.Outcomes[s.MetricID] = map[int]Outcome{}
		}
		in.Assumptions.Outcomes[s.MetricID][s.Year] = o
	}
	s, err := Compute(in)
	if err != nil {
		return bookEntry{}, err
	}
	e := bookEntry{done: true}
	limit := in.Policy.Limits.MaxTotalDiscountBp.Neg()
	for _, l := range s.Lines {
		if !l.End.After(in.AsOf) {
			continue
		}
		e.income += fenOf(l.Interest)
		e.floor = e.floor || l.FloorApplied
		e.cap = e.cap || l.CapApplied
		e.dlimit = e.dlimit || !l.AdjustmentBp.GreaterThan(limit)
	}
	return e, nil
}

// neutral is the loan's income with the pending years changing nothing.
func (r *bookLoanRun) neutral() (int64, error) {
	s, err := Compute(r.in)
	if err != nil {
		return 0, err
	}
	var fen int64
	for _, l := range s.Lines {
		if l.End.After(r.in.AsOf) {
			fen += fenOf(l.Interest)
		}
	}
	return fen, nil
}

// loanSeed is the loan's own noise seed.
func loanSeed(seed uint64, id string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(id))
	return seed ^ h.Sum64()
}

// run draws all runs of one loan into acc.
func (r *bookLoanRun) run(ctx context.Context, sim *BookSimulation, sc *BookScenario, factors bookFactors, nInd int, acc *bookAcc) error {
	neutral, err := r.neutral()
	if err != nil {
		return err
	}
	ps := make([]decimal.Decimal, len(r.pending))
	for j, s := range r.pending {
		ps[j] = sc.probability(s.MetricID, s.Year)
	}
	draw := newCopula(sc.correlation(r.l.IndustryCode), ps, loanSeed(sim.Seed, r.l.LoanID))
	table := make([]bookEntry, 1<<len(r.pending))
	var floorAny, capAny, dAny bool
	for run := 0; run < sim.Runs; run++ {
		if run%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		mask := draw.mask(factors, run*nInd+r.ind)
		e := &table[mask]
		if !e.done {
			if *e, err = r.evaluate(mask); err != nil {
				return err
			}
			acc.distinct++
		}
		acc.book[run] += e.income
		acc.ind[run*nInd+r.ind] += e.income
		if d := e.income - neutral; d < 0 {
			acc.down[r.ind] -= d
		} else {
			acc.up[r.ind] += d
		}
		if e.floor {
			acc.floor++
			floorAny = true
		}
		if e.cap {
			acc.cap++
			capAny = true
		}
		if e.dlimit {
			acc.dlimit++
			dAny = true
		}
	}
	acc.floorAny += b2i(floorAny)
	acc.capAny += b2i(capAny)
	acc.dAny += b2i(dAny)
	return nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// runScenario runs every loan of a scenario on workers and merges their
// accumulators; integer sums make the result independent of scheduling.
func runScenario(ctx context.Context, sim *BookSimulation, sc *BookScenario, loans []bookLoanRun, factors bookFactors, nInd int) (*bookAcc, error) {
	workers := max(1, min(runtime.GOMAXPROCS(0), len(loans)))
	accs := make([]*bookAcc, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		accs[w] = newBookAcc(sim.Runs, nInd)
		wg.Go(func() {
			for i := w; i < len(loans); i += workers {
				if err := loans[i].run(ctx, sim, sc, factors, nInd, accs[w]); err != nil {
					errs[w] = inLoan(loans[i].l.LoanID, err)
					return
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	total := accs[0]
	for _, a := range accs[1:] {
		total.merge(a)
	}
	return total, nil
}

func inLoan(id string, err error) error {
	if e, ok := err.(*tfpricing.Error); ok && e.Code != tfpricing.EINVALID {
		out := *e
		out.Message = "loan " + id + ": " + e.Message
		return &out
	}
	return err
}

func newBookAcc(runs, nInd int) *bookAcc {
	return &bookAcc{runs: runs, book: make([]int64, runs), ind: make([]int64, runs*nInd),
		down: make([]int64, nInd), up: make([]int64, nInd)}
}

func (a *bookAcc) merge(o *bookAcc) {
	for i := range a.book {
		a.book[i] += o.book[i]
	}
	for i := range a.ind {
		a.ind[i] += o.ind[i]
	}
	for i := range a.down {
		a.down[i] += o.down[i]
		a.up[i] += o.up[i]
	}
	a.floor, a.cap, a.dlimit = a.floor+o.floor, a.cap+o.cap, a.dlimit+o.dlimit
	a.floorAny, a.capAny, a.dAny = a.floorAny+o.floorAny, a.capAny+o.capAny, a.dAny+o.dAny
	a.distinct += o.distinct
}
