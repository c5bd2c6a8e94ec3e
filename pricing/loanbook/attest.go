package loanbook

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/audit"
)

// AttestationRequest is a verified KPI value posted for a loan.
type AttestationRequest struct {
	LoanID      string
	Attestation pricing.Attestation // ID and Seq are assigned here
	// IdempotencyKey and RequestBody implement the Idempotency-Key contract:
	// the same key and body return the stored response, another body is
	// refused, a concurrent duplicate is a conflict.
	IdempotencyKey string
	RequestBody    []byte
}

// AttestationResult is what an accepted attestation did.
type AttestationResult struct {
	Loan        Loan
	Attestation pricing.Attestation
	Status      pricing.AttestationStatus
	SPT         pricing.SPTStatus
	Schedule    pricing.Schedule
	Changes     []audit.RateChange
	Decision    audit.Decision
}

// Replayed is returned instead of a result when the idempotency key was
// already used with the same body: the stored response, verbatim.
type Replayed struct {
	Status   int
	Response json.RawMessage
}

// Render turns a result into the response body and status to store with
// the idempotency key, so a retry gets byte-identical output.
type Render func(AttestationResult) (status int, body []byte, err error)

// Attest accepts an attestation: validates it against the loan, stores it,
// recalculates the schedule as of the business date and stores the
// idempotency record with the rendered response — all in one transaction.
//
// The work is done in two steps, because every attestation is written by
// the one goroutine bbolt allows to write, and doing all of it there left
// the other core idle (1,100–1,500 attestations/s). First the attestation
// is validated, recomputed and its decision built in a read transaction,
// concurrently with others; then the write transaction only checks that
// the loan's schedule stamp has not moved, and stores. A loan that moved
// in between (another attestation for it committed first) is prepared
// again inside the write transaction, as a fully serial run would.
func (s *Service) Attest(ctx context.Context, actor tfpricing.Actor, req AttestationRequest, render Render) (*Replayed, []byte, int, error) {
	scope := "attestation:" + req.LoanID
	key := scope + "\x00" + req.IdempotencyKey
	if _, busy := s.inflight.LoadOrStore(key, struct{}{}); busy {
		return nil, nil, 0, tfpricing.Errorf(tfpricing.ECONFLICT, "a request with this Idempotency-Key is still being processed")
	}
	defer s.inflight.Delete(key)
	sum := sha256.Sum256(req.RequestBody)
	idem := IdempotencyRecord{Key: key, Scope: scope, RequestHash: hex.EncodeToString(sum[:])}
	today := s.Today()

	var pre *preparedAttestation
	var replay *Replayed
	err := s.cfg.Store.View(ctx, func(tx Tx) error {
		var err error
		if replay, err = storedResponse(tx, idem); err != nil || replay != nil {
			return err
		}
		pre, err = s.prepareAttestation(tx, req, actor, today, s.attSeq.Add(1), true)
		return err
	})
	if err != nil || replay != nil {
		return replay, nil, 0, err
	}

	var body []byte
	var status int
	var decisionKind audit.DecisionKind
	var committed *loanView
	err = s.cfg.Store.Update(ctx, func(tx Tx) error {
		replay, body, status, committed = nil, nil, 0, nil
		var err error
		if replay, err = storedResponse(tx, idem); err != nil || replay != nil {
			return err
		}
		p := pre
		if stamp, err := tx.ScheduleStamp(req.LoanID); err != nil {
			return err
		} else if stamp != pre.prev.Stamp() || today != s.Today() {
			if p, err = s.prepareAttestation(tx, req, actor, s.Today(), s.attSeq.Add(1), false); err != nil {
				return err
			}
		}
		decisionKind = p.decision.Kind
		status, body, committed, err = s.commitAttestation(tx, p, idem, render)
		return err
	})
	if err != nil {
		return nil, nil, 0, err
	}
	if replay == nil {
		s.views.put(committed) // durable now: the next attestation of this loan starts from it
		s.recalculated(1)
		s.decided(decisionKind)
	}
	return replay, body, status, nil
}

// storedResponse returns the response stored under the request's
// Idempotency-Key, nil when there is none, or an error when the key was
// used with another body.
func storedResponse(tx Tx, idem IdempotencyRecord) (*Replayed, error) {
	rec, ok, err := tx.Idempotency(idem.Key)
	if err != nil || !ok {
		return nil, err
	}
	if rec.RequestHash != idem.RequestHash {
		return nil, &tfpricing.Error{Code: tfpricing.EUNPROCESSABLE,
			Message: "this Idempotency-Key was already used with a different request body",
			Fields:  []tfpricing.FieldError{{Field: "Idempotency-Key", Code: "reused", Message: "already used with another body"}}}
	}
	return &Replayed{Status: rec.Status, Response: rec.Response}, nil
}
