package pricing

import (
	"encoding/binary"
	"slices"

	"github.com/shopspring/decimal"
)

// met tells whether SPT s (ledger order) is met in the run of vec.
func (m *mcScenario) met(vec []byte, s int) bool {
	if pos := m.vecOf[s]; pos >= 0 {
		return vec[pos] == vecMet
	}
	return m.fixed[s]
}

// ledger returns the ledger of one outcome vector: the scenario's
// assumptions, with the simulated KPIs' outcomes set from vec, applied as
// Compute applies them.
func (m *mcScenario) ledger(vec []byte) *ledger {
	t := m.in.Terms
	a := m.a
	outcomes := make(map[string]map[int]Outcome, len(a.Outcomes)+len(m.sims))
	for metric, ys := range a.Outcomes {
		outcomes[metric] = ys // read only; Validate refused simulated KPIs here
	}
	for _, k := range m.sims {
		ys := make(map[int]Outcome, len(k.targets))
		for j, tg := range k.targets {
			ys[tg.Year] = Missed
			if vec[k.pos+j] == vecMet {
				ys[tg.Year] = Met
			}
		}
		outcomes[k.metric] = ys
	}
	a.Outcomes = outcomes
	l := newLedger(t, m.in.Policy.Ratchet)
	l.record(t, nil, m.in.AsOf)
	l.assume(t, a)
	return l
}

// prepare finds which SPTs the draws decide and, from the ledger of an
// all-met vector, how each period's K follows from the outcome vector.
// Every assumed determination's date is the same whatever its outcome
// (due date or report lag; the draws give met or missed, never
// not_reported), so the determination governing each KPI in each period
// is the same in every run: only its outcome varies.
func (m *mcScenario) prepare() {
	t := m.in.Terms
	recorded := newLedger(t, m.in.Policy.Ratchet)
	recorded.record(t, nil, m.in.AsOf)
	m.vecOf = make([]int, len(recorded.spts))
	for i := range m.vecOf {
		m.vecOf[i] = -1
	}
	for _, k := range m.sims {
		for j := range k.targets {
			if s := recorded.first[k.kpi] + j; len(recorded.spts[s].dets) == 0 {
				m.vecOf[s] = k.pos + j
			}
		}
	}
	all := make([]byte, m.n)
	for i := range all {
		all[i] = vecMet
	}
	template := m.ledger(all)
	m.fixed = make([]bool, len(template.spts))
	for i, st := range template.sptStatuses(t) {
		m.fixed[i] = st.Outcome == Met
	}
	m.plan = newKPlan(m.e, template, m.vecOf)
}

// summary returns the total interest and the last period's rate of the
// schedule of vec, whose K path (when there is a plan) path has just
// computed. The schedule itself is computed only when some period's K is
// new to that period.
func (m *mcScenario) summary(vec []byte) (total, lastRate decimal.Decimal) {
	if m.plan != nil {
		total = zeroFen
		known := true
		for p, k := range m.plan.ks {
			l, ok := m.lines[periodK{p, k}]
			if !ok {
				known = false
				break
			}
			total, lastRate = total.Add(l.interest), l.rate
		}
		if known {
			return total, lastRate
		}
	}
	s := m.e.schedule(m.ledger(vec))
	if m.plan != nil {
		for p, l := range s.Lines {
			m.lines[periodK{p, m.plan.ks[p]}] = lineResult{interest: l.Interest, rate: l.Rate}
		}
	}
	return s.TotalInterest, s.Lines[len(s.Lines)-1].Rate
}

// kPlan computes the K path of an outcome vector in integers (units of
// 10⁻⁴ bp, the finest step a policy or a KPI may state), exactly as
// engine.ratchet does in decimals: per period, the fixed contributions plus
// −step down for each governing drawn outcome met, +step up for each
// missed, clamped.
type kPlan struct {
	periods []kPeriod
	lo, hi  int64
	ks      []int64 // the last path, per period
	buf     []byte  // the last path as a map key
}

type kPeriod struct {
	fixed int64
	terms []kTerm
}

type kTerm struct {
	pos      int
	down, up int64
}

// newKPlan derives the plan from the all-met template ledger; nil when a
// step is not a whole number of 10⁻⁴ bp (possible only for a policy built
// in code), in which case every distinct vector computes its schedule.
func newKPlan(e *engine, template *ledger, vecOf []int) *kPlan {
	units := func(d decimal.Decimal) (int64, bool) {
		u := d.Shift(4)
		return u.IntPart(), u.IsInteger() && u.Abs().LessThan(decimal.New(1, 15))
	}
	r := e.policy.Ratchet
	lo, ok1 := units(r.MaxStepDownBp)
	hi, ok2 := units(r.MaxStepUpBp)
	if !ok1 || !ok2 {
		return nil
	}
	down, up := stepSizes(e.terms, r)
	p := &kPlan{periods: make([]kPeriod, len(e.periods)), lo: -lo, hi: hi, ks: make([]int64, len(e.periods))}
	for pi, per := range e.periods {
		kp := &p.periods[pi]
		for i := range e.terms.KPIs {
			si, di, ok := template.contribution(i, per.start)
			if !ok {
				continue
			}
			d, okd := units(down[i])
			u, oku := units(up[i])
			if !okd || !oku {
				return nil
			}
			switch {
			case vecOf[si] >= 0:
				kp.terms = append(kp.terms, kTerm{pos: vecOf[si], down: d, up: u})
			case template.spts[si].dets[di].outcome == Met:
				kp.fixed -= d
			default:
				kp.fixed += u
			}
		}
	}
	return p
}

// path computes the K path of vec into p.ks and returns it as a key, one
// varint per period, in a buffer that the next call reuses.
func (p *kPlan) path(vec []byte) []byte {
	p.buf = p.buf[:0]
	for i, per := range p.periods {
		k := per.fixed
		for _, t := range per.terms {
			if vec[t.pos] == vecMet {
				k -= t.down
			} else {
				k += t.up
			}
		}
		p.ks[i] = min(max(k, p.lo), p.hi)
		p.buf = binary.AppendVarint(p.buf, p.ks[i])
	}
	return p.buf
}

// stats summarises value over the runs the entries stand for: the exact
// mean rounded half-up to places, and the nearest-rank 5th, 50th and 95th
// percentiles.
func stats(entries []mcEntry, runs int, places int32, value func(*mcEntry) decimal.Decimal) Stats {
	order := make([]int, len(entries))
	sum := decimal.Zero
	for i := range entries {
		order[i] = i
		sum = sum.Add(value(&entries[i]).Mul(decimal.NewFromInt(int64(entries[i].count))))
	}
	// Equal values are interchangeable, so the order among them is moot.
	slices.SortStableFunc(order, func(x, y int) int { return value(&entries[x]).Cmp(value(&entries[y])) })
	pct := func(p int) decimal.Decimal {
		rank, cum := nearestRank(p, runs), 0
		for _, i := range order {
			if cum += entries[i].count; cum >= rank {
				return value(&entries[i])
			}
		}
		return value(&entries[order[len(order)-1]])
	}
	return Stats{Mean: sum.DivRound(decimal.NewFromInt(int64(runs)), places), P5: pct(5), P50: pct(50), P95: pct(95)}
}

// nearestRank is the 1-based rank of the p-th percentile of n values:
// ⌈p·n/100⌉, at least 1.
func nearestRank(p, n int) int {
	return max((p*n+99)/100, 1)
}
