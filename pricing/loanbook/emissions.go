package loanbook

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/audit"
)

// EmissionsRequest is a verifier's emissions attestation for a borrower and
// year. Like a KPI attestation it is idempotent: the same Idempotency-Key
// and body return the stored result; the same key with another body is
// refused (EUNPROCESSABLE naming Idempotency-Key).
type EmissionsRequest struct {
	Emissions      pricing.Emissions
	IdempotencyKey string
	RequestBody    []byte
}

// EmissionsOutcome is what AttestEmissions did, or, Replayed, had done.
type EmissionsOutcome struct {
	Emissions   pricing.Emissions
	DecisionSeq uint64
	Replayed    bool
}

// AttestEmissions validates and stores a borrower's emissions attestation
// with its sealed decision (kind emissions), in one transaction. The
// borrower's attestations are numbered in arrival order; the id is
// "E-" USCC "-" that number.
func (s *Service) AttestEmissions(ctx context.Context, actor tfpricing.Actor, req EmissionsRequest) (EmissionsOutcome, error) {
	if err := req.Emissions.Validate(); err != nil {
		return EmissionsOutcome{}, err
	}
	sum := sha256.Sum256(req.RequestBody)
	hash := hex.EncodeToString(sum[:])
	now, today := s.cfg.Now().UTC(), s.Today()
	var out EmissionsOutcome
	err := s.cfg.Store.Update(ctx, func(tx Tx) error {
		out = EmissionsOutcome{}
		prior, err := tx.Emissions(req.Emissions.USCC)
		if err != nil {
			return err
		}
		for _, p := range prior {
			if req.IdempotencyKey == "" || p.IdempotencyKey != req.IdempotencyKey {
				continue
			}
			if p.RequestHash != hash {
				return &tfpricing.Error{Code: tfpricing.EUNPROCESSABLE,
					Message: "this Idempotency-Key was already used with a different request body",
					Fields:  []tfpricing.FieldError{{Field: "Idempotency-Key", Code: "reused", Message: "already used with another body"}}}
			}
			out = EmissionsOutcome{Emissions: p, Replayed: true}
			return nil
		}
		e := req.Emissions
		e.Seq = uint64(len(prior) + 1)
		e.ID = fmt.Sprintf("E-%s-%d", e.USCC, e.Seq)
		e.AcceptedOn, e.IdempotencyKey, e.RequestHash = today, req.IdempotencyKey, hash
		d, err := audit.NewEmissionsDecision(e)
		if err != nil {
			return err
		}
		d.Actor, d.RecordedAt, d.BusinessDate = actor, now, today
		if err := tx.AppendDecision(&d); err != nil {
			return err
		}
		out = EmissionsOutcome{Emissions: e, DecisionSeq: d.Seq}
		return tx.PutEmissions(e)
	})
	if err != nil {
		return EmissionsOutcome{}, err
	}
	if !out.Replayed {
		s.decided(audit.DecisionEmissions)
	}
	return out, nil
}

// Emissions returns a borrower's emissions attestations in arrival order.
func (s *Service) Emissions(ctx context.Context, uscc string) ([]pricing.Emissions, error) {
	var out []pricing.Emissions
	err := s.cfg.Store.View(ctx, func(tx Tx) error {
		var err error
		out, err = tx.Emissions(uscc)
		return err
	})
	return out, err
}
