package storedfmt

import (
	"encoding/json"
	"strconv"

	"tfpricing/pricing/canon"
)

// AppendJSON appends json.Marshal(r) to b, written by hand when the
// attestation inside is canonical JSON (as NewAttestation makes it) free
// of '<', '>' and '&': json.Marshal copies such raw JSON as it is
// (compacting it, which canonical JSON already is, and HTML-escaping
// nothing). Any other record is written by json.Marshal, whose error it
// returns. The store writes one per attestation, and reflection over it
// was part of ≈ 1 % of an attestation's service CPU over PostgreSQL
// (BENCHMARKS.md, "Attestation write path"). TestAttestationJSONMatchesMarshal
// compares the two.
func (r Attestation) AppendJSON(b []byte) ([]byte, error) {
	raw := r.Attestation
	if len(raw) == 0 || raw[0] != '{' || containsHTML(raw) || !canon.IsCanonical(raw) {
		m, err := json.Marshal(r)
		if err != nil {
			return nil, err
		}
		return append(b, m...), nil
	}
	b = strconv.AppendInt(append(b, `{"v":`...), int64(r.V), 10)
	b = appendHTMLString(append(b, `,"loan_id":`...), r.LoanID)
	b = append(append(b, `,"attestation":`...), raw...)
	return append(b, '}'), nil
}

// containsHTML reports whether raw holds a byte json.Marshal HTML-escapes
// when it copies raw JSON.
func containsHTML(raw []byte) bool {
	for _, c := range raw {
		if c == '<' || c == '>' || c == '&' {
			return true
		}
	}
	return false
}
