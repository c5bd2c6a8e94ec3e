package loanbook

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"tfpricing"
	"tfpricing/pricing"
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
	Loan        pricing.Loan
	Attestation pricing.Attestation
	Status      pricing.AttestationStatus
	SPT         pricing.SPTStatus
	Schedule    pricing.Schedule
	Changes     []pricing.RateChange
	Decision    pricing.Decision
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
func (s *Service) Attest(ctx context.Context, actor tfpricing.Actor, req AttestationRequest, render Render) (*Replayed, []byte, int, error) {
	scope := "attestation:" + req.LoanID
	key := scope + "\x00" + req.IdempotencyKey
	if _, busy := s.inflight.LoadOrStore(key, struct{}{}); busy {
		return nil, nil, 0, tfpricing.Errorf(tfpricing.ECONFLICT, "a request with this Idempotency-Key is still being processed")
	}
	defer s.inflight.Delete(key)
	sum := sha256.Sum256(req.RequestBody)
	reqHash := hex.EncodeToString(sum[:])
	today := s.Today()

	var replay *Replayed
	var body []byte
	var status int
	var decisionKind pricing.DecisionKind
	err := s.cfg.Store.Update(ctx, func(tx pricing.Tx) error {
		replay, body, status = nil, nil, 0
		if rec, ok, err := tx.Idempotency(key); err != nil {
			return err
		} else if ok {
			if rec.RequestHash != reqHash {
				return &tfpricing.Error{Code: tfpricing.EUNPROCESSABLE,
					Message: "this Idempotency-Key was already used with a different request body",
					Fields:  []tfpricing.FieldError{{Field: "Idempotency-Key", Code: "reused", Message: "already used with another body"}}}
			}
			replay = &Replayed{Status: rec.Status, Response: rec.Response}
			return nil
		}
		loan, err := tx.Loan(req.LoanID)
		if err != nil {
			return err
		}
		prev, err := tx.Schedule(loan.ID)
		if err != nil {
			return err
		}
		recorded, err := tx.Attestations(loan.ID)
		if err != nil {
			return err
		}
		a := req.Attestation
		if a.AcceptedOn.IsZero() {
			a.AcceptedOn = today
		}
		if a.AcceptedOn.After(today) {
			return &tfpricing.Error{Code: tfpricing.EUNPROCESSABLE, Message: "accepted_on may not be later than the business date " + today.String(),
				Fields: []tfpricing.FieldError{{Field: "accepted_on", Code: "after_business_date", Message: "may not be later than " + today.String()}}}
		}
		if a.ID, a.Seq, err = tx.NextAttestationID(); err != nil {
			return err
		}
		p, err := s.policy(tx, loan.Policy)
		if err != nil {
			return err
		}
		st, spt, err := pricing.PreviewAttestation(loan.Terms, p, recorded, a)
		if err != nil {
			return err
		}
		all := append(recorded, a)
		sched, err := s.compute(tx, loan, all, today)
		if err != nil {
			return err
		}
		if err := tx.PutAttestation(loan.ID, a); err != nil {
			return err
		}
		kind := pricing.DecisionAttestation
		if st.Status == pricing.Correction {
			kind = pricing.DecisionCorrection
		}
		event := map[string]any{"event": string(kind), "attestation_id": a.ID, "metric_id": a.MetricID,
			"year": a.Year, "status": string(st.Status)}
		dec, err := s.recordLoan(tx, kind, actor, loan, all, today, event, prev.Rates, sched)
		if err != nil {
			return err
		}
		if err := tx.PutSchedule(pricing.NewScheduleState(loan.ID, sched, s.latestFixing(today), prev.Revision+1, dec.Seq)); err != nil {
			return err
		}
		res := AttestationResult{Loan: loan, Attestation: a, Status: st, SPT: spt, Schedule: sched,
			Changes: pricing.DiffPeriodRates(prev.Rates, sched), Decision: dec}
		decisionKind = kind
		if status, body, err = render(res); err != nil {
			return err
		}
		return tx.PutIdempotency(pricing.IdempotencyRecord{Key: key, Scope: scope, RequestHash: reqHash,
			Status: status, Response: body, CreatedAt: s.cfg.Now().UTC()})
	})
	if err != nil {
		return nil, nil, 0, err
	}
	if replay == nil {
		s.recalculated(1)
		s.decided(decisionKind)
	}
	return replay, body, status, nil
}
