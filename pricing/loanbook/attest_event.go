package loanbook

import (
	"encoding/json"
	"strconv"

	"tfpricing/pricing"
	"tfpricing/pricing/audit"
	"tfpricing/pricing/canon"
)

// attestationEvent is the event of an attestation's decision, the JSON
// object {"attestation_id", "event", "metric_id", "status", "year"}
// written by hand in its canonical form — marshalling a map by reflection
// and parsing it again was ≈ 1 % of an attestation's service CPU
// (BENCHMARKS.md, "Attestation write path"), and
// audit.NewLoanInputsFromRates takes canonical raw JSON as it is. A string
// that is not valid UTF-8 (which validation never lets through) is written
// as encoding/json writes it, with \ufffd escapes, which is not canonical:
// NewLoanInputsFromRates then canonicalises the event as it did the map.
// TestAttestationEventCanonical compares the two.
func attestationEvent(kind audit.DecisionKind, a pricing.Attestation, status pricing.Timeliness) json.RawMessage {
	b := make([]byte, 0, 96+len(a.ID)+len(a.MetricID))
	b = canon.AppendString(append(b, `{"attestation_id":`...), a.ID)
	b = canon.AppendString(append(b, `,"event":`...), string(kind))
	b = canon.AppendString(append(b, `,"metric_id":`...), a.MetricID)
	b = canon.AppendString(append(b, `,"status":`...), string(status))
	b = strconv.AppendInt(append(b, `,"year":`...), int64(a.Year), 10)
	return append(b, '}')
}
