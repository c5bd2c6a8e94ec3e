package pricing

import (
	"tfpricing"
)

// PreviewAttestationFrom is PreviewAttestation given st, the ratchet state
// ComputeFrom returned for the loan's recorded attestations: it returns
// exactly what PreviewAttestation returns, without walking the candidate's
// SPT's track when st applies — st walked exactly recorded under terms t
// and p's ratchet, leaving none out — and by PreviewAttestation otherwise
// (and for every refusal, whose message names the recorded attestation it
// found).
//
// A candidate that sorts after every recorded attestation of its year (the
// only one PreviewAttestation accepts) gets its status from the first of
// that track alone (on time or not), and its year's SPT status is its own
// determination, or not_reported when it is late under ignore; so the
// preview runs the ratchet over the track's first attestation and the
// candidate, as of the candidate's acceptance: the candidate sorts after the
// first (it is accepted on or after the track's latest, with a higher seq).
func PreviewAttestationFrom(st *RatchetState, t Terms, p *Policy, recorded []Attestation, cand Attestation) (AttestationStatus, SPTStatus, error) {
	if st == nil || p == nil || !st.all || len(recorded) != len(st.atts) || !st.covers(t, p.Ratchet, recorded) {
		return PreviewAttestation(t, p, recorded, cand)
	}
	idx, ok := st.index[sptKey{cand.MetricID, cand.Year}]
	if !ok || cand.AcceptedOn.IsZero() || cand.AcceptedOn.Before(tfpricing.NewDate(cand.Year+1, 1, 1)) {
		return PreviewAttestation(t, p, recorded, cand) // refused, as it says
	}
	track := st.spts[idx]
	if track.seen && cand.AcceptedOn.Before(track.last.on) {
		return PreviewAttestation(t, p, recorded, cand)
	}
	if err := t.Validate(); err != nil {
		return AttestationStatus{}, SPTStatus{}, err
	}
	cand.Seq = max(cand.Seq, st.maxSeq+1)
	// The candidate's SPT's track alone, fresh (the ledger keeps each
	// track apart, so the others' would not change it): no ledger of every
	// SPT, no index, no status of every SPT to take one of.
	base := &st.spts[idx]
	s := spt{kpi: base.kpi, year: base.year, target: base.target, due: base.due, dets: make([]determination, 0, 3)}
	l := ledger{cure: st.cure}
	if track.seen {
		// Only its place counts: its own outcome is not the candidate's.
		l.take(t, &s, Attestation{MetricID: cand.MetricID, Year: cand.Year, AcceptedOn: track.first.on,
			Seq: track.first.seq})
	}
	status := l.take(t, &s, cand)
	l.finishSPT(&s, cand.AcceptedOn)
	return status, s.status(t), nil
}

// sptStatuses reports every SPT's latest determination, in KPI then year
// order.
func (l *ledger) sptStatuses(t Terms) []SPTStatus {
	out := make([]SPTStatus, len(l.spts))
	for i := range l.spts {
		out[i] = l.spts[i].status(t)
	}
	return out
}

// status is the SPT's latest determination.
func (s *spt) status(t Terms) SPTStatus {
	st := SPTStatus{MetricID: t.KPIs[s.kpi].MetricID, Year: s.year, Target: s.target,
		DueDate: s.due, Outcome: Pending}
	if n := len(s.dets); n > 0 {
		d := s.dets[n-1]
		st.Outcome, st.DeterminedOn, st.AttestationID, st.Assumed = d.outcome, d.on, d.attID, d.assumed
	}
	return st
}
