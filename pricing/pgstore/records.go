package pgstore

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"tfpricing/pricing/canon"

	"tfpricing/pricing/loanbook"
	"tfpricing/pricing/storedfmt"
)

// The records of the loan book's tables are storedfmt's, the formats
// boltstore stores too (PostgreSQL never held their version 1). Only the
// idempotency record is this package's own.

// idempotencyRecord is the stored outcome of a request with an
// Idempotency-Key (table idempotency), version 2 as boltstore's.
type idempotencyRecord struct {
	V           int                      `json:"v"`
	Key         string                   `json:"key"`
	Scope       string                   `json:"scope"`
	RequestHash string                   `json:"request_hash"`
	CreatedAt   time.Time                `json:"created_at"`
	Result      storedfmt.AttestationRef `json:"result"`
	// Verbatim is a version-1 response copied from a bbolt file by migrate.
	Verbatim json.RawMessage `json:"verbatim,omitempty"`
}

func toDBIdempotency(r loanbook.IdempotencyRecord) idempotencyRecord {
	return idempotencyRecord{V: 2, Key: r.Key, Scope: r.Scope, RequestHash: r.RequestHash, CreatedAt: r.CreatedAt,
		Verbatim: r.Verbatim, Result: storedfmt.NewAttestationRef(r.Result)}
}

func toDomainIdempotency(r idempotencyRecord) loanbook.IdempotencyRecord {
	out := loanbook.IdempotencyRecord{Key: r.Key, Scope: r.Scope, RequestHash: r.RequestHash, CreatedAt: r.CreatedAt, Verbatim: r.Verbatim}
	if r.Verbatim == nil {
		out.Result = r.Result.Domain()
	}
	return out
}

// marshal is json.Marshal of a stored record; the two every attestation
// writes besides its decision and schedule state are written by hand
// (storedfmt.Attestation.AppendJSON, idempotencyRecord.appendJSON: the
// same bytes, without reflection).
func marshal(v any) ([]byte, error) {
	switch r := v.(type) {
	case storedfmt.Attestation:
		return r.AppendJSON(make([]byte, 0, 64+len(r.LoanID)+len(r.Attestation)))
	case idempotencyRecord:
		return r.appendJSON(make([]byte, 0, 320+len(r.Key)+len(r.Scope)))
	}
	return json.Marshal(v)
}

// appendJSON appends json.Marshal(r) to b, written by hand for the record
// an attestation stores (no verbatim response; a UTC time of years 0–9999;
// strings free of the '<', '>' and '&' json.Marshal HTML-escapes); any
// other record by json.Marshal, whose error it returns.
// TestIdempotencyJSONMatchesMarshal compares the two.
func (r idempotencyRecord) appendJSON(b []byte) ([]byte, error) {
	res := r.Result
	if len(r.Verbatim) > 0 || r.CreatedAt.Location() != time.UTC || r.CreatedAt.Year() < 0 || r.CreatedAt.Year() > 9999 ||
		htmlIn(r.Key, r.Scope, r.RequestHash, res.LoanID, res.Status, res.Outcome, res.SPTOutcome) {
		m, err := json.Marshal(r)
		if err != nil {
			return nil, err
		}
		return append(b, m...), nil
	}
	b = strconv.AppendInt(append(b, `{"v":`...), int64(r.V), 10)
	b = canon.AppendString(append(b, `,"key":`...), r.Key)
	b = canon.AppendString(append(b, `,"scope":`...), r.Scope)
	b = canon.AppendString(append(b, `,"request_hash":`...), r.RequestHash)
	b = append(r.CreatedAt.AppendFormat(append(b, `,"created_at":"`...), time.RFC3339Nano), '"')
	b = canon.AppendString(append(b, `,"result":{"loan_id":`...), res.LoanID)
	b = strconv.AppendUint(append(b, `,"attestation_seq":`...), res.AttestationSeq, 10)
	b = strconv.AppendUint(append(b, `,"decision_seq":`...), res.DecisionSeq, 10)
	b = canon.AppendString(append(b, `,"status":`...), res.Status)
	b = canon.AppendString(append(b, `,"outcome":`...), res.Outcome)
	b = canon.AppendString(append(b, `,"spt_outcome":`...), res.SPTOutcome)
	return append(b, '}', '}'), nil
}

// htmlIn reports whether any of ss holds a character json.Marshal
// HTML-escapes (and canon.AppendString does not).
func htmlIn(ss ...string) bool {
	for _, s := range ss {
		if strings.ContainsAny(s, "<>&") {
			return true
		}
	}
	return false
}
