package pgstore

import (
	"encoding/json"
	"time"

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
