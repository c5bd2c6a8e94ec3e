package pricing

import (
	"slices"
	"sort"
	"sync/atomic"

	"tfpricing"
)

// RatchetState is the ratchet's walk over a loan's attestations — every
// SPT's track and every attestation's status, before the not_reported
// determinations of an as-of date — kept so that the loan's next
// computation extends it by the attestations that arrived since instead of
// walking the whole history again (issue 18: an attestation walked it
// twice, Compute and PreviewAttestation, and so grew with the history).
//
// A state is immutable once returned and may be shared between goroutines.
// What it records never depends on how it was made: ComputeFrom and
// PreviewAttestationFrom return exactly what Compute and PreviewAttestation
// return for the same inputs, whether or not they could use the state
// (TestComputeFromEqualsCompute). Only the cost differs.
type RatchetState struct {
	cure  bool
	spts  []spt // the walk's tracks; their dets never include not_reported
	first []int
	index map[sptKey]int
	// terms is what the walk read of the loan's terms; a state applies only
	// to terms equal to it in those (sameRatchetTerms).
	terms Terms
	grace int
	// atts are the attestations walked (the caller's, shared, never
	// modified); statuses those accepted on or before the as-of date, in
	// (accepted_on, seq) order.
	atts     []Attestation
	statuses []AttestationStatus
	// all: no attestation was left out for being accepted after as_of, so
	// every track is whole. latest is the latest accepted_on among them,
	// maxSeq the highest seq.
	all    bool
	latest tfpricing.Date
	maxSeq uint64
	// kept is how many leading statuses are those of the state this one
	// extended (0 when walked from scratch).
	kept int
	// claimed is set by the first extension of this state, which then
	// appends into the spare room of its slices; any other copies them.
	claimed atomic.Bool
}

// Kept returns how many of the state's leading statuses (Schedule.
// Attestations of the computation that returned it) are, in the same
// order, the statuses of the state ComputeFrom was given; 0 when it
// walked the history from scratch. A digest over the statuses in order can
// continue from its value over those.
func (st *RatchetState) Kept() int {
	if st == nil {
		return 0
	}
	return st.kept
}

// ComputeFrom is Compute that also returns the ratchet state of in's
// attestations, and starts from prev — a state ComputeFrom returned for
// the same loan — when in.Attestations are prev's followed by new ones
// that sort after every earlier attestation of their own SPT (an
// attestation arriving late for another SPT is placed among the statuses),
// in.AsOf leaves out none of prev's, and the terms and ratchet are prev's.
// Otherwise it walks them all. A loan with a lifecycle (amendments,
// declassification) is computed by Compute and has no state (nil).
func ComputeFrom(prev *RatchetState, in Input) (Schedule, *RatchetState, error) {
	if in.Policy == nil || !in.Lifecycle.Empty() {
		s, err := Compute(in)
		return s, nil, err
	}
	fs := append(baseProblems(in.Terms, in.AsOf, in.AssumedFixings),
		in.Assumptions.problems(in.Terms, in.Policy.Ratchet.GraceDays)...)
	var st *RatchetState
	ok := false
	if len(fs) == 0 { // else Compute reports them; prev's room stays unclaimed
		st, ok = prev.extend(in.Terms, in.Policy.Ratchet, in.Attestations, in.AsOf)
	}
	if !ok {
		l := newLedger(in.Terms, in.Policy.Ratchet)
		if len(fs) > 0 || len(l.problems(in.Terms, in.Attestations)) > 0 {
			s, err := Compute(in) // the same error, every field named
			return s, nil, err
		}
		st = walkState(l, in.Terms, in.Policy.Ratchet, in.Attestations, in.AsOf)
	}
	e, err := newEngine(in.Terms, in.Policy, in.Curve, in.AssumedFixings, in.AsOf)
	if err != nil {
		return Schedule{}, nil, err
	}
	l := st.ledger(in.AsOf)
	l.assume(in.Terms, in.Assumptions)
	return e.schedule(l), st, nil
}

// Walked returns how many attestations the state walked (0 for nil).
func (st *RatchetState) Walked() int {
	if st == nil {
		return 0
	}
	return len(st.atts)
}

// ExtendTo returns the state of atts as of asOf extended from st — the
// state ComputeFrom would return for the same terms, ratchet and
// attestations — without computing a schedule, or false when st does not
// apply (see ComputeFrom) or would have to be walked again. A reader that
// learns of several attestations at once (a replica catching up on
// another's) brings the state to them before a preview, which uses a state
// only when it walked exactly the attestations recorded.
func (st *RatchetState) ExtendTo(t Terms, r Ratchet, atts []Attestation, asOf tfpricing.Date) (*RatchetState, bool) {
	return st.extend(t, r, atts, asOf)
}

// walkState walks atts, which have passed problems, from scratch with l,
// a new ledger, and keeps the walk.
func walkState(l *ledger, t Terms, r Ratchet, atts []Attestation, asOf tfpricing.Date) *RatchetState {
	l.walk(t, atts, asOf, true)
	st := &RatchetState{cure: l.cure, spts: l.spts, first: l.first, index: l.index, terms: t, grace: r.GraceDays,
		atts: atts[:len(atts):len(atts)], statuses: l.statuses, all: true}
	for _, a := range atts {
		st.maxSeq = max(st.maxSeq, a.Seq)
		if a.AcceptedOn.After(asOf) {
			st.all = false
		} else if a.AcceptedOn.After(st.latest) {
			st.latest = a.AcceptedOn
		}
	}
	return st
}

// ledger returns the ledger of the state as of asOf, which leaves out none
// of its attestations that the walk took: its own tracks (sharing their
// determinations, clipped so that nothing appends into them) with the
// not_reported determinations of asOf.
func (st *RatchetState) ledger(asOf tfpricing.Date) *ledger {
	l := &ledger{cure: st.cure, spts: make([]spt, len(st.spts)), first: st.first, index: st.index,
		statuses: st.statuses[:len(st.statuses):len(st.statuses)]}
	copy(l.spts, st.spts)
	for i := range l.spts {
		d := l.spts[i].dets
		l.spts[i].dets = d[:len(d):len(d)]
	}
	l.finish(asOf)
	return l
}

// extend returns the state of atts as of asOf from st, or false when st
// does not apply (see ComputeFrom) or a new attestation has problems.
func (st *RatchetState) extend(t Terms, r Ratchet, atts []Attestation, asOf tfpricing.Date) (*RatchetState, bool) {
	if st == nil || !st.all || asOf.Before(st.latest) || !st.covers(t, r, atts) {
		return nil, false
	}
	// The new attestations, known ones in (accepted_on, seq) order, each
	// after the latest of its own track.
	fresh := atts[len(st.atts):]
	next := &RatchetState{cure: st.cure, first: st.first, index: st.index, terms: st.terms, grace: st.grace,
		atts: atts[:len(atts):len(atts)], all: true, latest: st.latest, maxSeq: st.maxSeq,
		kept: len(st.statuses)}
	var one [1]Attestation // an attestation's own extension: no slice to allocate
	known := one[:0]
	for _, a := range fresh {
		si, ok := st.index[sptKey{a.MetricID, a.Year}]
		if !ok || a.AcceptedOn.IsZero() {
			return nil, false
		}
		next.maxSeq = max(next.maxSeq, a.Seq)
		if a.AcceptedOn.After(asOf) {
			next.all = false
			continue
		}
		if s := st.spts[si]; s.seen && (place{a.AcceptedOn, a.Seq}).before(s.last) {
			return nil, false // it changes its track's earlier statuses: walk it all
		}
		if a.AcceptedOn.After(next.latest) {
			next.latest = a.AcceptedOn
		}
		known = append(known, a)
	}
	slices.SortStableFunc(known, func(a, b Attestation) int { // not sort.SliceStable, which allocates
		return place{a.AcceptedOn, a.Seq}.compare(place{b.AcceptedOn, b.Seq})
	})
	// The first extension appends into the room after st's slices, which
	// st never reads; any other copies what it extends.
	own := st.claimed.CompareAndSwap(false, true)
	l := &ledger{cure: st.cure, spts: make([]spt, len(st.spts)), first: st.first, index: st.index}
	copy(l.spts, st.spts)
	statuses := st.statuses
	if !own {
		for i := range l.spts {
			d := l.spts[i].dets
			l.spts[i].dets = d[:len(d):len(d)]
		}
		statuses = statuses[:len(statuses):len(statuses)]
	}
	for _, a := range known {
		s := l.take(t, &l.spts[st.index[sptKey{a.MetricID, a.Year}]], a)
		at := place{a.AcceptedOn, a.Seq}
		// After every status it does not sort before (arrival breaks
		// ties, as the stable sort of a whole walk does).
		i := sort.Search(len(statuses), func(i int) bool {
			return at.before(place{statuses[i].AcceptedOn, statuses[i].Seq})
		})
		if i == len(statuses) {
			statuses = append(statuses, s)
			continue
		}
		grown := make([]AttestationStatus, len(statuses)+1, cap(statuses)+1)
		copy(grown, statuses[:i])
		grown[i] = s
		copy(grown[i+1:], statuses[i:])
		statuses, next.kept = grown, min(next.kept, i)
	}
	next.spts, next.statuses = l.spts, statuses
	return next, true
}

// covers reports whether st walked the first attestations of atts under
// terms t and ratchet r: the same terms as far as the walk reads them, and
// its attestations the first of atts — the same array (a loan's history is
// shared, never modified, and extended in place once) or equal ones.
func (st *RatchetState) covers(t Terms, r Ratchet, atts []Attestation) bool {
	m := len(st.atts)
	if len(atts) < m || st.cure != r.cures() || st.grace != r.GraceDays || !sameRatchetTerms(st.terms, t) {
		return false
	}
	if m == 0 || &st.atts[0] == &atts[0] {
		return true
	}
	for i, a := range st.atts {
		b := atts[i]
		if a.ID != b.ID || a.Seq != b.Seq || a.MetricID != b.MetricID || a.Year != b.Year ||
			a.AcceptedOn != b.AcceptedOn || !a.Value.Equal(b.Value) {
			return false
		}
	}
	return true
}

// sameRatchetTerms reports whether a and b have the same KPIs as the
// ratchet's walk reads them: metric, direction and targets, in order.
func sameRatchetTerms(a, b Terms) bool {
	if len(a.KPIs) != len(b.KPIs) {
		return false
	}
	for i, k := range a.KPIs {
		o := b.KPIs[i]
		if k.MetricID != o.MetricID || k.Direction != o.Direction || len(k.Targets) != len(o.Targets) {
			return false
		}
		for j, tg := range k.Targets {
			if tg.Year != o.Targets[j].Year || !tg.Value.Equal(o.Targets[j].Value) {
				return false
			}
		}
	}
	return true
}

// place is an attestation's place in the ratchet's (accepted_on, seq)
// order.
type place struct {
	on  tfpricing.Date
	seq uint64
}

// before reports whether p sorts before q.
func (p place) before(q place) bool {
	if c := p.on.Compare(q.on); c != 0 {
		return c < 0
	}
	return p.seq < q.seq
}

// compare is −1 when p sorts before q, +1 when after, 0 when neither.
func (p place) compare(q place) int {
	switch {
	case p.before(q):
		return -1
	case q.before(p):
		return 1
	}
	return 0
}
