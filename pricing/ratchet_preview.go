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
// candidate, as of the candidate's acceptance.
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
	two := make([]Attestation, 0, 2)
	if track.seen {
		// Only its place counts: its own outcome is not the candidate's.
		two = append(two, Attestation{MetricID: cand.MetricID, Year: cand.Year, AcceptedOn: track.first.on,
			Seq: track.first.seq})
	}
	l := newLedger(t, p.Ratchet)
	l.record(t, append(two, cand), cand.AcceptedOn)
	return l.statuses[len(l.statuses)-1], l.sptStatuses(t)[idx], nil
}
