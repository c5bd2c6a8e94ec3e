package pricing

import (
	"fmt"
	"slices"

	"github.com/shopspring/decimal"

	"tfpricing"
)

// Projection is the blanket assumption for SPT years not yet determined.
type Projection string

// The projections of DESIGN.md §4.5.
const (
	Current Projection = "current"  // undetermined years change nothing
	AllMet  Projection = "all_met"  // every undetermined year is met
	NoneMet Projection = "none_met" // every undetermined year is missed
)

// Assumptions say what happens to the SPT years that are still undetermined
// on as_of; determined years always keep their determinations. For each
// undetermined year the first that applies wins: an explicit outcome in
// Outcomes, an outcome compared from a KPI value in Values, the Projection
// (zero value: Current). An assumed attestation is accepted on the year's
// due date, or on 31 December + ReportLagDays when that is set (1 to the
// policy's grace days), exactly as DESIGN.md §4.5 states, even when that
// date is before as_of. An assumed not_reported is determined the day after
// the due date, as a real one would be. Maps are keyed by metric id and
// year; they are only looked up, never ranged over into output.
type Assumptions struct {
	Projection    Projection
	Outcomes      map[string]map[int]Outcome
	Values        map[string]map[int]decimal.Decimal
	ReportLagDays int
}

// problems lists every bad assumption, named as a simulation request names
// them (outcomes.<metric>.<year>, kpi_values.<metric>.<year>).
func (a Assumptions) problems(t Terms, graceDays int) []tfpricing.FieldError {
	var fs []tfpricing.FieldError
	switch a.Projection {
	case "", Current, AllMet, NoneMet:
	default:
		fs = append(fs, fieldErr("projection", "oneof", "must be current, all_met or none_met"))
	}
	if a.ReportLagDays < 0 || a.ReportLagDays > graceDays {
		fs = append(fs, fieldErr("report_lag_days", "range",
			fmt.Sprintf("must be from 1 to the policy's %d grace days", graceDays)))
	}
	years := func(list string, metric string, ys []int) {
		for _, y := range ys {
			path := fmt.Sprintf("%s.%s.%d", list, metric, y)
			if !hasTarget(t, metric, y) {
				fs = append(fs, fieldErr(path, "unknown", "is not a target year of this KPI"))
				continue
			}
			switch o := a.Outcomes[metric][y]; {
			case list == "kpi_values" && o != "":
				fs = append(fs, fieldErr(path, "conflict", "the year also has an assumed outcome"))
			case list == "outcomes" && o != Met && o != Missed && o != NotReported:
				fs = append(fs, fieldErr(path, "oneof", "must be met, missed or not_reported"))
			}
		}
	}
	for _, m := range sortedKeys(a.Outcomes) {
		if !hasKPI(t, m) {
			fs = append(fs, fieldErr("outcomes."+m, "unknown", "is not a KPI of this loan"))
			continue
		}
		years("outcomes", m, sortedKeys(a.Outcomes[m]))
	}
	for _, m := range sortedKeys(a.Values) {
		if !hasKPI(t, m) {
			fs = append(fs, fieldErr("kpi_values."+m, "unknown", "is not a KPI of this loan"))
			continue
		}
		years("kpi_values", m, sortedKeys(a.Values[m]))
	}
	return fs
}

// assume adds the assumed determination of every SPT still undetermined.
func (l *ledger) assume(t Terms, a Assumptions) {
	for i := range l.spts {
		s := &l.spts[i]
		if len(s.dets) > 0 {
			continue
		}
		metric := t.KPIs[s.kpi].MetricID
		o, ok := a.Outcomes[metric][s.year]
		if !ok {
			if v, has := a.Values[metric][s.year]; has {
				o, ok = Missed, true
				if t.KPIs[s.kpi].Direction.AtOrBetter(v, s.target) {
					o = Met
				}
			}
		}
		if !ok {
			switch a.Projection {
			case AllMet:
				o, ok = Met, true
			case NoneMet:
				o, ok = Missed, true
			}
		}
		if !ok {
			continue
		}
		on := s.due
		if a.ReportLagDays > 0 {
			on = tfpricing.NewDate(s.year, 12, 31).AddDays(a.ReportLagDays)
		}
		if o == NotReported {
			on = s.due.AddDays(1)
		}
		s.dets = append(s.dets, determination{on: on, outcome: o, assumed: true})
	}
}

func hasKPI(t Terms, metric string) bool {
	for _, k := range t.KPIs {
		if k.MetricID == metric {
			return true
		}
	}
	return false
}

func hasTarget(t Terms, metric string, year int) bool {
	for _, k := range t.KPIs {
		if k.MetricID != metric {
			continue
		}
		for _, tg := range k.Targets {
			if tg.Year == year {
				return true
			}
		}
	}
	return false
}

type orderedKey interface{ ~string | ~int }

func sortedKeys[K orderedKey, V any](m map[K]V) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out) // keys are distinct: the order sort.Slice gave, without its allocations
	return out
}

// PreviewAttestation tells what a candidate attestation would become if it
// were recorded after the loan's recorded attestations: its status and its
// year's SPT status as of its accepted_on. It refuses (422) a candidate for
// no SPT of the loan, one accepted before 1 January after its year, and one
// accepted before the latest already recorded for the same KPI and year.
// The candidate is treated as the latest arrival whatever its Seq.
func PreviewAttestation(t Terms, p *Policy, recorded []Attestation, cand Attestation) (AttestationStatus, SPTStatus, error) {
	if p == nil {
		return AttestationStatus{}, SPTStatus{}, tfpricing.Errorf(tfpricing.EINTERNAL, "no policy")
	}
	if err := t.Validate(); err != nil {
		return AttestationStatus{}, SPTStatus{}, err
	}
	l := newLedger(t, p.Ratchet)
	idx, ok := l.index[sptKey{cand.MetricID, cand.Year}]
	refuse := func(fe tfpricing.FieldError, format string, args ...any) error {
		return &tfpricing.Error{Code: tfpricing.EUNPROCESSABLE, Message: fmt.Sprintf(format, args...),
			Fields: []tfpricing.FieldError{fe}}
	}
	if !ok {
		return AttestationStatus{}, SPTStatus{}, refuse(l.unknownSPT(t, cand.MetricID, ""),
			"%s %d is not an SPT of this loan", cand.MetricID, cand.Year)
	}
	if cand.AcceptedOn.IsZero() {
		return AttestationStatus{}, SPTStatus{}, tfpricing.Invalid([]tfpricing.FieldError{
			fieldErr("accepted_on", "required", "is required")})
	}
	if cand.AcceptedOn.Before(tfpricing.NewDate(cand.Year+1, 1, 1)) {
		return AttestationStatus{}, SPTStatus{}, refuse(fieldErr("accepted_on", "range",
			"must not be before 1 January after the attested year"),
			"an attestation for %d cannot be accepted before %d-01-01", cand.Year, cand.Year+1)
	}
	// The candidate's status and its SPT's depend on that SPT's
	// attestations alone (the ledger keeps each SPT's track apart), so the
	// ledger takes only those: the walk over the loan's whole history is a
	// comparison per attestation. Every recorded attestation is still
	// checked, under its place in recorded, the candidate after them.
	var maxSeq uint64
	var track []Attestation
	for _, r := range recorded {
		maxSeq = max(maxSeq, r.Seq)
		if r.MetricID == cand.MetricID && r.Year == cand.Year {
			if cand.AcceptedOn.Before(r.AcceptedOn) {
				return AttestationStatus{}, SPTStatus{}, refuse(fieldErr("accepted_on", "range",
					"must not be before an attestation already recorded for this KPI and year"),
					"an attestation for %s %d was already accepted on %s", cand.MetricID, cand.Year, r.AcceptedOn)
			}
			track = append(track, r)
		}
	}
	cand.Seq = max(cand.Seq, maxSeq+1)
	bad := append(l.problemsFrom(t, recorded, 0), l.problemsFrom(t, []Attestation{cand}, len(recorded))...)
	if err := tfpricing.Invalid(bad); err != nil {
		return AttestationStatus{}, SPTStatus{}, err
	}
	l.record(t, append(track, cand), cand.AcceptedOn)
	var st AttestationStatus
	for _, s := range l.statuses {
		if s.MetricID == cand.MetricID && s.Year == cand.Year {
			st = s // the candidate sorts last among its year's attestations
		}
	}
	return st, l.sptStatuses(t)[idx], nil
}
