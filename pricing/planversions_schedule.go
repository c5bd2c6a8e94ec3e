package pricing

import (
	"sort"

	"github.com/shopspring/decimal"

	"tfpricing"
)

// computeLifecycle is Compute for a loan with amendments or a
// declassification (DESIGN.md §5.1). Period p uses the plan version in
// force on its start date: that version's KPIs, step sizes and targets for
// K, and its tier for T. Each version keeps its own determinations,
// computed from its own targets and the loan's attestations; a KPI absent
// from the version in force contributes nothing. From the first period
// starting on or after DeclassifiedFrom, T = 0 and K = max_step_up_bp.
func computeLifecycle(in Input) (Schedule, error) {
	r := in.Policy.Ratchet
	fs := baseProblems(in.Terms, in.AsOf, in.AssumedFixings)
	fs = append(fs, in.Lifecycle.problems(in.Terms, r, in.Attestations)...)
	fs = append(fs, in.Assumptions.problems(in.Terms, r.GraceDays)...)
	if err := tfpricing.Invalid(fs); err != nil {
		return Schedule{}, err
	}
	vs := in.Lifecycle.versions(in.Terms)
	type track struct {
		e        *engine
		l        *ledger
		down, up []decimal.Decimal
	}
	tracks := make([]track, len(vs))
	for i, v := range vs {
		e, err := newEngine(v.terms, in.Policy, in.Curve, in.AssumedFixings, in.AsOf)
		if err != nil {
			return Schedule{}, err
		}
		l := newLedger(v.terms, r)
		l.record(v.terms, in.Attestations, in.AsOf)
		l.assume(v.terms, in.Assumptions)
		down, up := stepSizes(v.terms, r)
		tracks[i] = track{e: e, l: l, down: down, up: up}
	}
	base := tracks[0].e
	declass := in.Lifecycle.DeclassifiedFrom
	rates := func(p period) (decimal.Decimal, composed) {
		t := tracks[inForce(vs, p.start)]
		if !declass.IsZero() && !p.start.Before(declass) {
			m := t.e.margin.declassified()
			return r.MaxStepUpBp, m.compose(p.bench.Rate(base.long), r.MaxStepUpBp)
		}
		picks := make([]pick, len(t.e.terms.KPIs))
		for j := range picks {
			si, di, ok := t.l.contribution(j, p.start)
			picks[j] = pick{si, di, ok}
		}
		k := t.e.ratchet(t.l, picks, t.down, t.up)
		return k, t.e.margin.compose(p.bench.Rate(base.long), k)
	}
	out := base.lines(rates)
	// The SPTs are the latest version's, then those of earlier versions
	// that it no longer has (newest version first); the attestations'
	// statuses are those of the latest version that has their SPT.
	seen := map[sptKey]bool{}
	taken := map[uint64]bool{}
	for i := len(tracks) - 1; i >= 0; i-- {
		t := tracks[i]
		for _, s := range t.l.sptStatuses(t.e.terms) {
			if k := (sptKey{s.MetricID, s.Year}); !seen[k] {
				seen[k] = true
				out.SPTs = append(out.SPTs, s)
			}
		}
		for _, st := range t.l.statuses {
			if !taken[st.Seq] {
				taken[st.Seq] = true
				out.Attestations = append(out.Attestations, st)
			}
		}
	}
	sort.SliceStable(out.Attestations, func(x, y int) bool {
		a, b := out.Attestations[x], out.Attestations[y]
		if c := a.AcceptedOn.Compare(b.AcceptedOn); c != 0 {
			return c < 0
		}
		return a.Seq < b.Seq
	})
	return out, nil
}

// lines builds the schedule's lines and totals with the K and composed rate
// rate gives each period: engine.schedule's arithmetic, for plan versions.
func (e *engine) lines(rate func(period) (decimal.Decimal, composed)) Schedule {
	n := len(e.periods)
	f := e.terms.Facility
	each := f.Amount
	if f.Repayment == EqualPrincipal {
		each = f.Amount.DivRound(decimal.NewFromInt(int64(n)), 2)
	}
	out := Schedule{AsOf: e.asOf, Benchmark: e.name, Lines: make([]Line, n),
		TotalInterest: zeroFen, TotalSubsidy: zeroFen, NetInterest: zeroFen}
	opening := f.Amount
	for i, p := range e.periods {
		k, c := rate(p)
		principal := zeroFen
		switch {
		case i == n-1:
			principal = opening
		case f.Repayment == EqualPrincipal:
			principal = decimal.Min(each, opening)
		}
		dayCount := decimal.NewFromInt(int64(p.days))
		interest := opening.Mul(c.rate).Mul(dayCount).DivRound(dec36000, 2)
		subsidy, net := zeroFen, interest
		if s := f.Subsidy; s != nil && p.start.Before(s.EndDate) {
			subsidy = decimal.Min(interest, opening.Mul(s.RateBp).Mul(dayCount).DivRound(dec3600000, 2))
			net = interest.Sub(subsidy)
			out.TotalSubsidy = out.TotalSubsidy.Add(subsidy)
		}
		closing := opening
		if !principal.IsZero() {
			closing = opening.Sub(principal)
		}
		out.Lines[i] = Line{
			Period: i + 1, Start: p.start, End: p.end, Days: p.days,
			BenchmarkRate: p.bench.Rate(e.long), BenchmarkDate: p.bench.EffectiveDate,
			AdjustmentBp: c.adjustment, RatchetBp: k, Rate: c.rate,
			OpeningPrincipal: opening, Principal: principal, Interest: interest,
			Subsidy: subsidy, NetInterest: net, ClosingPrincipal: closing,
			FloorApplied: c.floorApplied, CapApplied: c.capApplied,
		}
		opening = closing
		out.TotalInterest = out.TotalInterest.Add(interest)
	}
	out.NetInterest = out.TotalInterest.Sub(out.TotalSubsidy)
	for _, p := range e.periods {
		if n := len(out.Fixings); n == 0 || out.Fixings[n-1].EffectiveDate != p.bench.EffectiveDate {
			out.Fixings = append(out.Fixings, p.bench)
		}
	}
	return out
}
