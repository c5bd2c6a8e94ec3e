package api

import (
	"strconv"

	"tfpricing/pricing"
	"tfpricing/pricing/loanbook"
)

// The attestation response written by hand: what writeJSON wrote for the
// attestationResultJSON of the same result (members in declared order,
// strings escaped as encoding/json does with HTML escaping off, the
// changes never null) without its newline, straight from the domain
// values into one buffer. The response carries the loan's whole schedule,
// and building its DTO of strings and encoding/json's reflection over it
// were a sixth of an attestation's handler CPU. Retries are answered from
// the result kept with the idempotency record and written again, so these
// bytes must never drift: TestAttestationBodyMatchesJSON holds them to the
// generic path on random results.

// renderAttestation is the response to an accepted attestation, the same
// bytes for the request and every retry of it: compact, without a trailing
// newline (as the first service versions stored it, and retries of their
// records are still served verbatim).
func renderAttestation(loanID string, r loanbook.AttestationResult) ([]byte, error) {
	b := make([]byte, 0, 1024+128*len(r.Changes)+scheduleSize(&r.Schedule))
	b = appendAttestation(append(b, `{"attestation":`...), loanID, &r.Attestation, &r.Status)
	b = appendJSONString(append(b, `,"outcome":`...), string(r.SPT.Outcome))
	b = strconv.AppendUint(append(b, `,"decision_id":"`...), r.Decision.Seq, 10) // decisionID: digits
	b = append(b, `","changes":[`...)
	for i := range r.Changes {
		ch := &r.Changes[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(append(b, `{"period":`...), int64(ch.Period), 10)
		b = appendDate(append(b, `,"start":`...), ch.Start)
		b = appendDec(append(b, `,"old_rate":`...), ch.OldRate, 4) // FormatRate
		b = appendDec(append(b, `,"new_rate":`...), ch.NewRate, 4)
		b = append(b, '}')
	}
	b = appendSchedule(append(b, `],"schedule":`...), loanID, &r.Schedule)
	return append(b, '}'), nil
}

// appendAttestation writes toAttestationJSON(loanID, *a, *st)'s members in
// their declared order.
func appendAttestation(b []byte, loanID string, a *pricing.Attestation, st *pricing.AttestationStatus) []byte {
	b = appendJSONString(append(b, `{"id":`...), a.ID)
	b = appendJSONString(append(b, `,"loan_id":`...), loanID)
	b = appendJSONString(append(b, `,"metric_id":`...), a.MetricID)
	b = strconv.AppendInt(append(b, `,"year":`...), int64(a.Year), 10)
	b = appendJSONString(append(b, `,"value":`...), a.Value.String())
	b = appendDate(append(b, `,"accepted_on":`...), a.AcceptedOn)
	b = appendJSONString(append(b, `,"verifier":{"name":`...), a.VerifierName)
	b = appendJSONString(append(b, `,"accreditation":`...), a.VerifierAccreditation)
	b = appendJSONString(append(b, `},"evidence_sha256":`...), a.EvidenceSHA256)
	b = appendJSONString(append(b, `,"status":`...), string(st.Status))
	b = append(b, `,"outcome":`...)
	if st.Outcome == "" {
		b = append(b, "null"...)
	} else {
		b = appendJSONString(b, string(st.Outcome))
	}
	return append(b, '}')
}
