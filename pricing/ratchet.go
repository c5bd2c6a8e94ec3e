package pricing

import (
	"fmt"
	"sort"

	"github.com/shopspring/decimal"

	"tfpricing"
)

// Outcome is the determination of one SPT (a KPI's target for a year).
type Outcome string

// The SPT outcomes.
const (
	Met         Outcome = "met"
	Missed      Outcome = "missed"
	NotReported Outcome = "not_reported" // no on-time attestation by the due date
	Pending     Outcome = "pending"      // not determined yet
)

// Timeliness classifies an attestation against its year's due date.
type Timeliness string

// The attestation statuses.
const (
	OnTime     Timeliness = "on_time"    // the year's first, on or before the due date
	Correction Timeliness = "correction" // after an on-time one; supersedes it
	Late       Timeliness = "late"       // the first was after the due date: no effect unless the policy cures
)

// Attestation is a verified KPI value for a calendar year. Seq is the
// arrival order; it breaks ties between attestations accepted the same day.
type Attestation struct {
	ID                    string
	Seq                   uint64
	MetricID              string
	Year                  int
	Value                 decimal.Decimal
	AcceptedOn            tfpricing.Date
	VerifierName          string
	VerifierAccreditation string
	EvidenceSHA256        string
}

// AttestationStatus is how the ratchet treated one attestation. Outcome is
// met or missed for on_time and correction; for late ones it is empty under
// late_attestation: ignore, where they determine nothing, and met or missed
// under cure.
type AttestationStatus struct {
	ID         string
	Seq        uint64
	MetricID   string
	Year       int
	AcceptedOn tfpricing.Date
	Status     Timeliness
	Outcome    Outcome
}

// SPTStatus is the state of one SPT: its latest determination as of the
// schedule's as_of date, or pending. Assumed marks a determination that a
// projection or scenario assumed rather than one recorded.
type SPTStatus struct {
	MetricID      string
	Year          int
	Target        decimal.Decimal
	DueDate       tfpricing.Date
	Outcome       Outcome
	DeterminedOn  tfpricing.Date // zero while pending
	AttestationID string         // empty for not_reported, pending and assumed
	Assumed       bool
}

// DueDate returns the last on-time acceptance date for year: 31 December
// plus the grace days.
func DueDate(year, graceDays int) tfpricing.Date {
	return tfpricing.NewDate(year, 12, 31).AddDays(graceDays)
}

type determination struct {
	on      tfpricing.Date
	outcome Outcome
	attID   string
	assumed bool
}

// spt is one target's track: its determinations in date order.
type spt struct {
	kpi    int
	year   int
	target decimal.Decimal
	due    tfpricing.Date
	seen   bool // an attestation has been taken
	onTime bool // the first one taken was on time
	// first and last are the (accepted_on, seq) of the first and the
	// latest attestation taken, in that order (set once seen): what
	// extending a walk (RatchetState) and previewing from one check.
	first, last place
	dets        []determination
}

type sptKey struct {
	metric string
	year   int
}

// ledger is the ratchet state of a loan as of one date.
type ledger struct {
	cure     bool  // late attestations determine their year (LateCure)
	spts     []spt // KPI order, then year
	first    []int // first[i]..first[i+1] are KPI i's spts
	index    map[sptKey]int
	statuses []AttestationStatus
}

func newLedger(t Terms, r Ratchet) *ledger {
	graceDays := r.GraceDays
	l := &ledger{cure: r.cures(), first: make([]int, len(t.KPIs)+1), index: map[sptKey]int{}}
	for i, k := range t.KPIs {
		l.first[i] = len(l.spts)
		for _, tg := range k.Targets {
			l.index[sptKey{k.MetricID, tg.Year}] = len(l.spts)
			l.spts = append(l.spts, spt{kpi: i, year: tg.Year, target: tg.Value, due: DueDate(tg.Year, graceDays)})
		}
	}
	l.first[len(t.KPIs)] = len(l.spts)
	return l
}

// problems lists the attestations that name no SPT of the loan or have no
// acceptance date; the ledger can only take valid ones.
func (l *ledger) problems(t Terms, atts []Attestation) []tfpricing.FieldError {
	return l.problemsFrom(t, atts, 0)
}

// problemsFrom is problems for atts numbered from first on.
func (l *ledger) problemsFrom(t Terms, atts []Attestation, first int) []tfpricing.FieldError {
	var bad []tfpricing.FieldError
	for i, a := range atts {
		i += first
		_, known := l.index[sptKey{a.MetricID, a.Year}]
		if known && !a.AcceptedOn.IsZero() {
			continue // the path is only written for a bad one: this runs over the loan's whole history
		}
		p := fmt.Sprintf("attestations[%d].", i)
		if !known {
			bad = append(bad, l.unknownSPT(t, a.MetricID, p))
		}
		if a.AcceptedOn.IsZero() {
			bad = append(bad, fieldErr(p+"accepted_on", "required", "is required"))
		}
	}
	return bad
}

// record applies the attestations known on asOf (accepted_on ≤ asOf) in
// (accepted_on, seq) order, then the not_reported determinations of years
// whose due date has passed without an on-time attestation. The attestations
// must have passed problems.
func (l *ledger) record(t Terms, atts []Attestation, asOf tfpricing.Date) {
	l.walk(t, atts, asOf, false)
	l.finish(asOf)
}

// walk is record without the not_reported determinations. With room, the
// statuses and determinations are made with room for a quarter more, which
// a RatchetState extended by the next attestations appends into.
func (l *ledger) walk(t Terms, atts []Attestation, asOf tfpricing.Date, room bool) {
	order := make([]int, 0, len(atts))
	counts := make([]int, len(l.spts))
	for i, a := range atts {
		if si, ok := l.index[sptKey{a.MetricID, a.Year}]; ok && !a.AcceptedOn.After(asOf) {
			order = append(order, i)
			counts[si]++
		}
	}
	// Each SPT's determinations are at most its attestations and one
	// not_reported: made at that size once, not grown by append through a
	// long history (half of what recording allocated).
	extra := func(n int) int {
		if room {
			return n/4 + 4
		}
		return 0
	}
	for i, n := range counts {
		if s := &l.spts[i]; n > 0 && s.dets == nil {
			s.dets = make([]determination, 0, n+1+extra(n))
		}
	}
	less := func(x, y int) bool {
		a, b := atts[order[x]], atts[order[y]]
		if c := a.AcceptedOn.Compare(b.AcceptedOn); c != 0 {
			return c < 0
		}
		return a.Seq < b.Seq
	}
	// A loan's attestations mostly arrive in (accepted_on, seq) order
	// already; checking is linear where the stable sort is not.
	if !sort.SliceIsSorted(order, less) {
		sort.SliceStable(order, less)
	}
	l.statuses = make([]AttestationStatus, 0, len(order)+extra(len(order)))
	for _, i := range order {
		a := atts[i]
		l.statuses = append(l.statuses, l.take(t, &l.spts[l.index[sptKey{a.MetricID, a.Year}]], a))
	}
}

// take applies attestation a to its SPT s, the next in (accepted_on, seq)
// order, and returns its status.
func (l *ledger) take(t Terms, s *spt, a Attestation) AttestationStatus {
	st := AttestationStatus{ID: a.ID, Seq: a.Seq, MetricID: a.MetricID, Year: a.Year,
		AcceptedOn: a.AcceptedOn, Status: Late}
	at := place{a.AcceptedOn, a.Seq}
	if !s.seen {
		s.seen, s.onTime, s.first = true, !a.AcceptedOn.After(s.due), at
		if s.onTime {
			st.Status = OnTime
		}
	} else if s.onTime {
		st.Status = Correction
	}
	s.last = at
	if st.Status != Late || l.cure {
		st.Outcome = Missed
		if atOrBetter(t.KPIs[s.kpi].Direction, a.Value, s.target) {
			st.Outcome = Met
		}
		s.dets = append(s.dets, determination{on: a.AcceptedOn, outcome: st.Outcome, attID: a.ID})
	}
	return st
}

// finish adds, as of asOf, the not_reported determinations of the years
// whose due date has passed without an on-time attestation.
func (l *ledger) finish(asOf tfpricing.Date) {
	for i := range l.spts {
		l.finishSPT(&l.spts[i], asOf)
	}
}

// finishSPT is finish for one SPT, s.
func (l *ledger) finishSPT(s *spt, asOf tfpricing.Date) {
	switch {
	case s.onTime || !asOf.After(s.due):
	case l.cure && s.seen:
		s.cureLate() // not_reported, then the late attestations
	default:
		s.dets = append(s.dets, determination{on: s.due.AddDays(1), outcome: NotReported})
	}
}

// contribution returns KPI i's outcome for a period starting on start: that
// of its latest year with a determination on or before start (the year's
// latest such determination), and false when there is none.
func (l *ledger) contribution(kpi int, start tfpricing.Date) (sptIdx, detIdx int, ok bool) {
	for si := l.first[kpi+1] - 1; si >= l.first[kpi]; si-- {
		// A year's determinations are in date order (equal dates in the
		// order taken), so the latest on or before start is the one before
		// the first after it: found by bisection, not by a walk back over
		// a long history for every period that starts before it.
		dets := l.spts[si].dets
		if di := sort.Search(len(dets), func(i int) bool { return dets[i].on.After(start) }) - 1; di >= 0 {
			return si, di, true
		}
	}
	return 0, 0, false
}

// unknownSPT names the field that makes (metric, year) no SPT of the loan:
// the metric when no KPI has it, else the year.
func (l *ledger) unknownSPT(t Terms, metric, prefix string) tfpricing.FieldError {
	for _, k := range t.KPIs {
		if k.MetricID == metric {
			return fieldErr(prefix+"year", "unknown", "is not a target year of this KPI")
		}
	}
	return fieldErr(prefix+"metric_id", "unknown", "is not a KPI of this loan")
}
