package loanbook

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"

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

// AttestationOutcome is Attest's answer: the attestation the request made,
// now or — when its Idempotency-Key was used before with the same body —
// when it was first made (Replayed).
type AttestationOutcome struct {
	Result   AttestationResult
	Replayed bool
	// Verbatim is set instead of Result for a retry whose first answer was
	// stored by an earlier version of the service as the response body
	// itself; it is served as it is.
	Verbatim json.RawMessage
}

// Attest accepts an attestation: validates it against the loan, stores it,
// recalculates the schedule as of the business date and stores the
// idempotency record of what it did — all in one transaction.
//
// The work is done in two steps, because every attestation is written by
// the one goroutine bbolt allows to write, and doing all of it there left
// the other core idle (1,100–1,500 attestations/s). First the attestation
// is validated, recomputed and its decision built in a read transaction,
// concurrently with others; then the write transaction only checks that
// the loan's schedule stamp has not moved, and stores. A loan that moved
// in between (another attestation for it committed first) is prepared
// again inside the write transaction, as a fully serial run would — from
// the view the attestation before it left in the loan cache, so that is
// cheap — and one seen to be moving already (a hot loan: the cache holds
// a later state than the read transaction sees) is prepared there only.
func (s *Service) Attest(ctx context.Context, actor tfpricing.Actor, req AttestationRequest) (AttestationOutcome, error) {
	scope := attestationScope + req.LoanID
	key := AttestationKey(req.LoanID, req.IdempotencyKey)
	if _, busy := s.inflight.LoadOrStore(key, struct{}{}); busy {
		return AttestationOutcome{}, tfpricing.Errorf(tfpricing.ECONFLICT, "a request with this Idempotency-Key is still being processed")
	}
	defer s.inflight.Delete(key)
	sum := sha256.Sum256(req.RequestBody)
	idem := IdempotencyRecord{Key: key, Scope: scope, RequestHash: hex.EncodeToString(sum[:])}
	today := s.Today()

	var pre *preparedAttestation
	var replay *AttestationOutcome
	err := s.cfg.Store.View(ctx, func(tx Tx) error {
		var err error
		if replay, err = s.storedOutcome(tx, idem); err != nil || replay != nil {
			return err
		}
		if _, err := s.refreshCurve(tx); err != nil {
			return err
		}
		var known *ScheduleStamp
		if stamp, err := tx.ScheduleStamp(req.LoanID); err == nil {
			if s.views.newer(req.LoanID, stamp.Revision) {
				// A hot loan: this state is already superseded by one
				// being written, so whatever is prepared from it would be
				// prepared again in the write transaction. Leave it to that.
				return nil
			}
			known = &stamp
		}
		seq, err := s.nextAttSeq(tx)
		if err != nil {
			return err
		}
		pre, err = s.prepareAttestation(tx, req, actor, today, seq, known, true)
		return err
	})
	if err != nil {
		return AttestationOutcome{}, err
	}
	if replay != nil {
		return *replay, nil
	}

	var res AttestationResult
	var committed *loanView
	err = s.cfg.Store.Update(ctx, func(tx Tx) error {
		replay, committed = nil, nil
		var err error
		if replay, err = s.storedOutcome(tx, idem); err != nil || replay != nil {
			return err
		}
		p := pre
		moved, err := s.refreshCurve(tx)
		if err != nil {
			return err
		}
		if stamp, err := tx.ScheduleStamp(req.LoanID); err != nil {
			return err
		} else if pre == nil || moved || stamp != pre.prev.Stamp() || today != s.Today() {
			seq, err := s.nextAttSeq(tx)
			if err != nil {
				return err
			}
			if p, err = s.prepareAttestation(tx, req, actor, s.Today(), seq, &stamp, false); err != nil {
				return err
			}
		}
		res, committed, err = s.commitAttestation(tx, p, idem)
		return err
	})
	if err != nil {
		return AttestationOutcome{}, err
	}
	if replay != nil {
		return *replay, nil
	}
	durable := *committed // durable now: the next attestation of this loan starts from it
	durable.committed = true
	s.views.put(&durable)
	s.recalculated(1)
	s.decided(res.Decision.Kind)
	return AttestationOutcome{Result: res}, nil
}

// storedOutcome returns the outcome stored under the request's
// Idempotency-Key, nil when there is none, or an error when the key was
// used with another body.
func (s *Service) storedOutcome(tx Tx, idem IdempotencyRecord) (*AttestationOutcome, error) {
	rec, ok, err := tx.Idempotency(idem.Key)
	if err != nil || !ok {
		return nil, err
	}
	if rec.RequestHash != idem.RequestHash {
		return nil, &tfpricing.Error{Code: tfpricing.EUNPROCESSABLE,
			Message: "this Idempotency-Key was already used with a different request body",
			Fields:  []tfpricing.FieldError{{Field: "Idempotency-Key", Code: "reused", Message: "already used with another body"}}}
	}
	if rec.Verbatim != nil {
		return &AttestationOutcome{Replayed: true, Verbatim: rec.Verbatim}, nil
	}
	res, err := s.storedResult(tx, rec.Result)
	if err != nil {
		return nil, err
	}
	return &AttestationOutcome{Result: res, Replayed: true}, nil
}

// storedResult rebuilds an attestation's result from the store: the
// attestation, the decision that recorded it, whose outputs are the
// schedule and the rate changes it caused, and the statuses the reference
// kept. The SPT is the schedule's, with the outcome it had when the
// attestation was accepted. Outputs of layout 2 keep the schedule's
// attestation statuses by digest: they are recomputed in tx
// (decisionStatuses), so the result is the one first returned.
func (s *Service) storedResult(tx Tx, ref AttestationRef) (AttestationResult, error) {
	loan, err := tx.Loan(ref.LoanID)
	if err != nil {
		return AttestationResult{}, err
	}
	atts, err := tx.Attestations(ref.LoanID)
	if err != nil {
		return AttestationResult{}, err
	}
	i := slices.IndexFunc(atts, func(a pricing.Attestation) bool { return a.Seq == ref.AttestationSeq })
	if i < 0 {
		return AttestationResult{}, tfpricing.Errorf(tfpricing.EINTERNAL, "attestation %s of loan %s is missing",
			pricing.AttestationID(ref.AttestationSeq), ref.LoanID)
	}
	d, err := tx.Decision(ref.DecisionSeq)
	if err != nil {
		return AttestationResult{}, err
	}
	out, err := audit.DecodeLoanOutputs(d.Outputs)
	if err != nil {
		return AttestationResult{}, err
	}
	if out.Schedule.Attestations, err = s.decisionStatuses(tx, d, out); err != nil {
		return AttestationResult{}, err
	}
	a := atts[i]
	spt := pricing.SPTStatus{MetricID: a.MetricID, Year: a.Year}
	for _, p := range out.Schedule.SPTs {
		if p.MetricID == a.MetricID && p.Year == a.Year {
			spt = p
		}
	}
	spt.Outcome = ref.SPTOutcome
	return AttestationResult{Loan: loan, Attestation: a, Schedule: out.Schedule, Changes: out.Changes, Decision: d, SPT: spt,
		Status: pricing.AttestationStatus{ID: a.ID, Seq: a.Seq, MetricID: a.MetricID, Year: a.Year, AcceptedOn: a.AcceptedOn,
			Status: ref.Timeliness, Outcome: ref.Outcome}}, nil
}
