package pricing

import (
	"sort"

	"github.com/shopspring/decimal"

	"tfpricing"
)

// period is one payment period with the benchmark fixing that governs it.
type period struct {
	start, end tfpricing.Date
	days       int
	repricing  int // index j of the repricing date start + 12j months
	bench      Fixing
}

// engine holds what a loan's schedules share whatever the ratchet state:
// the margin, the periods and their benchmarks. PriceQuote builds it once
// for its three projections.
type engine struct {
	terms   Terms
	policy  *Policy
	asOf    tfpricing.Date
	margin  margin
	long    bool   // the tenor uses the long benchmark
	name    string // the benchmark's name
	periods []period
	rates   []memo // composed rates by (B, K), shared by projections
	// k is the last K ratchetInt made, coefficient kCoef at exponent kExp.
	k     decimal.Decimal
	kCoef int64
	kExp  int32
	kSet  bool
}

// memo is one composed rate; a loan has few distinct (benchmark, K) pairs.
type memo struct {
	b, k decimal.Decimal
	c    composed
}

// rate composes the rate for benchmark rate b and ratchet k, once per pair:
// compose is a function of the two values alone (its results have the
// exponents of the margin, of K and −4, never b's), so repricing dates that
// read the same fixing — every one after as_of — share it.
func (e *engine) rate(b, k decimal.Decimal) composed {
	for _, m := range e.rates {
		if m.b.Equal(b) && m.k.Equal(k) {
			return m.c
		}
	}
	c := e.margin.compose(b, k)
	e.rates = append(e.rates, memo{b: b, k: k, c: c})
	return c
}

// newEngine resolves the margin and every period's benchmark. Terms and
// assumed fixings must have passed baseProblems.
func newEngine(t Terms, p *Policy, c Curve, assumed []Fixing, asOf tfpricing.Date) (*engine, error) {
	m, err := newMargin(t, p)
	if err != nil {
		return nil, err
	}
	e := &engine{terms: t, policy: p, asOf: asOf, margin: m,
		long: p.usesLong(t.Facility.TenorMonths), name: p.BenchmarkName(t.Facility.TenorMonths)}
	future := Curve{fixings: append([]Fixing(nil), assumed...)}
	if len(future.fixings) > 1 { // nothing to order otherwise (and sort.Slice allocates)
		sort.Slice(future.fixings, func(i, j int) bool {
			return future.fixings[i].EffectiveDate.Before(future.fixings[j].EffectiveDate)
		})
	}
	f := t.Facility
	months := f.PaymentFrequency
	n := f.TenorMonths / months
	e.periods = make([]period, n)
	benches := make([]Fixing, 0, f.TenorMonths/12+1)
	for k := 0; k < n; k++ {
		// Every date counts from the start, never from the previous
		// period's end, so a clamped Feb 28 does not drag later periods to
		// the 28th.
		start, end := f.StartDate.AddMonths(k*months), f.StartDate.AddMonths((k+1)*months)
		j := k * months / 12
		for len(benches) <= j {
			b, err := benchmarkOn(c, future, f.StartDate.AddMonths(12*len(benches)), asOf)
			if err != nil {
				return nil, err
			}
			benches = append(benches, b)
		}
		days := start.DaysUntil(end)
		e.periods[k] = period{start: start, end: end, days: days, repricing: j, bench: benches[j]}
	}
	// Room for a rate per repricing date and a few K changes: the memo
	// is not grown by append a rate at a time.
	e.rates = make([]memo, 0, len(benches)+4)
	return e, nil
}

// benchmarkOn returns the fixing governing the periods from repricing date
// r: the latest assumed fixing effective on or before r when there is one,
// else the recorded fixing in force on min(r, as_of), which only sees
// fixings effective on or before as_of.
func benchmarkOn(recorded, assumed Curve, r, asOf tfpricing.Date) (Fixing, error) {
	if f, ok := assumed.InForce(r); ok {
		return f, nil
	}
	on := tfpricing.MinDate(r, asOf)
	if f, ok := recorded.InForce(on); ok {
		return f, nil
	}
	return Fixing{}, tfpricing.Errorf(tfpricing.EUNPROCESSABLE, "no LPR fixing is in force on %s", on)
}

// schedule runs the periods with the ratchet state of l. K and the rate are
// recomputed only when a KPI's governing determination or the benchmark
// changes, which is rare, so a period costs little more than its interest.
func (e *engine) schedule(l *ledger) Schedule {
	n := len(e.periods)
	f := e.terms.Facility
	// A loan's few KPIs' picks and steps live on the stack.
	nk := len(e.terms.KPIs)
	var pickBuf [2 * maxStackKPIs]pick
	var stepBuf [2 * maxStackKPIs]decimal.Decimal
	picks, prev := pickBuf[:nk:nk], pickBuf[maxStackKPIs:maxStackKPIs+nk:maxStackKPIs+nk]
	down, up := stepBuf[:nk:nk], stepBuf[maxStackKPIs:maxStackKPIs+nk:maxStackKPIs+nk]
	if nk > maxStackKPIs {
		picks, prev = make([]pick, nk), make([]pick, nk)
		down, up = make([]decimal.Decimal, nk), make([]decimal.Decimal, nk)
	}
	fillSteps(e.terms, e.policy.Ratchet, down, up)
	each := f.Amount
	if f.Repayment == EqualPrincipal {
		// Amount.DivRound(n, 2), in integers when it fits (periodAmount).
		each = periodAmount(f.Amount, decOne, 1, int64(n))
	}
	out := Schedule{AsOf: e.asOf, Benchmark: e.name, Lines: make([]Line, n),
		TotalInterest: zeroFen, TotalSubsidy: zeroFen, NetInterest: zeroFen}
	var k decimal.Decimal
	var c composed
	var totalInterest, totalSubsidy fenSum // zeroFen.Add(…) a line at a time
	opening := f.Amount
	for i, p := range e.periods {
		changed := i == 0 || p.repricing != e.periods[i-1].repricing
		for j := range picks {
			si, di, ok := l.contribution(j, p.start)
			picks[j] = pick{si, di, ok}
			changed = changed || picks[j] != prev[j]
		}
		if changed {
			k = e.ratchet(l, picks, down, up)
			c = e.rate(p.bench.Rate(e.long), k)
			picks, prev = prev, picks
		}
		// Capping an instalment at the balance only bites when the amount
		// is too small to share (a few fen over many periods), where
		// round2(amount/n) times n−1 would exceed the amount and leave a
		// negative last instalment.
		principal := zeroFen
		switch {
		case i == n-1:
			principal = opening
		case f.Repayment == EqualPrincipal:
			principal = decimal.Min(each, opening)
		}
		interest := periodAmount(opening, c.rate, int64(p.days), 36000) // opening × rate × days / 36000, round2
		subsidy, net := zeroFen, interest
		if s := f.Subsidy; s != nil && p.start.Before(s.EndDate) {
			subsidy = decimal.Min(interest, periodAmount(opening, s.RateBp, int64(p.days), 3600000))
			net = subAmount(interest, subsidy)
			totalSubsidy.add(subsidy)
		}
		closing := opening
		if !principal.IsZero() {
			closing = subAmount(opening, principal)
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
		totalInterest.add(interest)
	}
	out.TotalInterest, out.TotalSubsidy = totalInterest.total(), totalSubsidy.total()
	// Net interest is interest less subsidy line by line, so its total is
	// the difference of the totals; one subtraction instead of one a line.
	out.NetInterest = subAmount(out.TotalInterest, out.TotalSubsidy)
	for _, p := range e.periods {
		// Repricing dates only move forward, so equal fixings are adjacent.
		if n := len(out.Fixings); n == 0 || out.Fixings[n-1].EffectiveDate != p.bench.EffectiveDate {
			out.Fixings = append(out.Fixings, p.bench)
		}
	}
	out.SPTs = l.sptStatuses(e.terms)
	out.Attestations = l.statuses
	return out
}

// maxStackKPIs is how many KPIs' picks and steps schedule keeps on the
// stack; more are allocated.
const maxStackKPIs = 4

// decOne is 1, the factor that makes periodAmount a division.
var decOne = decimal.New(1, 0)

// pick is the determination governing one KPI in a period.
type pick struct {
	spt, det int
	ok       bool
}

// ratchet returns K: −step down for met, +step up for missed or
// not_reported, summed over the KPIs and clamped.
func (e *engine) ratchet(l *ledger, picks []pick, down, up []decimal.Decimal) decimal.Decimal {
	if k, ok := e.ratchetInt(l, picks, down, up); ok {
		return k
	}
	return e.ratchetDec(l, picks, down, up)
}

// ratchetDec is ratchet in decimals.
func (e *engine) ratchetDec(l *ledger, picks []pick, down, up []decimal.Decimal) decimal.Decimal {
	sum := decimal.Zero
	for i, p := range picks {
		if !p.ok {
			continue
		}
		if l.spts[p.spt].dets[p.det].outcome == Met {
			sum = sum.Sub(down[i])
		} else {
			sum = sum.Add(up[i])
		}
	}
	return clampK(sum, e.policy.Ratchet)
}
