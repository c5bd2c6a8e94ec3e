package loanbook

import (
	"context"
	"encoding/json"
	"time"

	"tfpricing"
	"tfpricing/catalog"
	"tfpricing/pricing"
	"tfpricing/pricing/audit"
)

// PricedQuote is a priced quote request ready to keep.
type PricedQuote struct {
	Plan       catalog.Plan
	Terms      pricing.Terms
	Assessment catalog.Assessment
	Quote      pricing.Quote
	Catalogue  catalog.Ref
	// Request is the quote request as received, with its as_of filled in,
	// as audit.EncodeQuoteRequest writes it, kept so that booking converts
	// exactly the same input again.
	Request json.RawMessage
}

// RecordQuote keeps a priced quote for booking within its validity and
// records the quote decision, in one transaction. It returns the quote id
// and the decision's sequence number.
func (s *Service) RecordQuote(ctx context.Context, actor tfpricing.Actor, pq PricedQuote) (string, uint64, error) {
	q := pq.Quote
	d, err := audit.NewQuoteInputs(pq.Plan, pq.Terms, q.AsOf).Decision(pq.Assessment, &q)
	if err != nil {
		return "", 0, err
	}
	now, today := s.cfg.Now().UTC(), s.Today()
	var id string
	var seq uint64
	err = s.cfg.Store.Update(ctx, func(tx Tx) error {
		var err error
		if id, err = tx.NextQuoteID(); err != nil {
			return err
		}
		rec := d
		rec.QuoteID, rec.Actor, rec.RecordedAt, rec.BusinessDate = id, actor, now, today
		if err := tx.AppendDecision(&rec); err != nil {
			return err
		}
		seq = rec.Seq
		return tx.PutQuote(StoredQuote{
			ID: id, CreatedAt: now.Truncate(time.Second), AsOf: q.AsOf, ValidUntil: q.ValidUntil,
			Request: pq.Request, Catalogue: pq.Catalogue, Policy: q.Policy, DecisionSeq: seq,
		})
	})
	if err != nil {
		return "", 0, err
	}
	s.decided(audit.DecisionQuote)
	return id, seq, nil
}

// SimulationRecord is a simulation that ran, to record (DESIGN.md §6): its
// inputs and outputs canonicalised, the catalogue and policy its quote was
// priced under, as of its quote's date.
type SimulationRecord struct {
	AsOf            tfpricing.Date
	Catalogue       catalog.Ref
	Policy          pricing.PolicyRef
	Inputs, Outputs json.RawMessage
}

// RecordSimulation appends a decision of kind simulation, naming the LPR
// fixings known on the simulation's as_of, and returns its sequence number.
// Simulations are recorded for the audit trail and are not replayable: an
// assumption is not a decision the engine must reproduce.
func (s *Service) RecordSimulation(ctx context.Context, actor tfpricing.Actor, r SimulationRecord) (uint64, error) {
	cat, policy := r.Catalogue, r.Policy
	d := audit.Decision{Kind: audit.DecisionSimulation, Actor: actor, RecordedAt: s.cfg.Now().UTC(),
		BusinessDate: s.Today(), AsOf: r.AsOf, Inputs: r.Inputs, Catalogue: &cat, Policy: &policy,
		Fixings: s.Curve().Until(r.AsOf).Fixings(), EngineVersion: audit.EngineVersion, Outputs: r.Outputs}
	var seq uint64
	err := s.cfg.Store.Update(ctx, func(tx Tx) error {
		rec := d
		if err := tx.AppendDecision(&rec); err != nil {
			return err
		}
		seq = rec.Seq
		return nil
	})
	if err != nil {
		return 0, err
	}
	s.decided(audit.DecisionSimulation)
	return seq, nil
}

// ReferenceLoad is what LoadReference did with one document.
type ReferenceLoad struct {
	Kind    audit.DocKind
	ID      string // the catalogue's id; empty for a policy
	Version string
	Digest  string
	New     bool // first seen: stored, and a load decision recorded
}

// LoadReference stores every configured catalogue and policy document
// content-addressed, so that decisions can be replayed after configs/
// changes, and records a load decision (by actor, business date and as-of
// today) for each document seen for the first time — all in one
// transaction.
func (s *Service) LoadReference(ctx context.Context, actor tfpricing.Actor) ([]ReferenceLoad, error) {
	today := s.Today()
	var loads []ReferenceLoad
	var kinds []audit.DecisionKind
	err := s.cfg.Store.Update(ctx, func(tx Tx) error {
		loads, kinds = loads[:0], kinds[:0]
		record := func(d audit.Decision, err error) error {
			if err != nil {
				return err
			}
			d.Actor, d.RecordedAt, d.BusinessDate, d.AsOf = actor, s.cfg.Now().UTC(), today, today
			kinds = append(kinds, d.Kind)
			return tx.AppendDecision(&d)
		}
		if s.cfg.Catalogues != nil {
			for _, c := range s.cfg.Catalogues.Versions() {
				created, err := tx.PutDocument(audit.DocCatalogue, c.Digest, c.Canonical)
				if err != nil {
					return err
				}
				if created {
					if err := record(audit.CatalogueLoadDecision(c)); err != nil {
						return err
					}
				}
				loads = append(loads, ReferenceLoad{Kind: audit.DocCatalogue, ID: c.ID, Version: c.Version, Digest: c.Digest, New: created})
			}
		}
		if s.cfg.Policies != nil {
			for _, p := range s.cfg.Policies.All() {
				created, err := tx.PutDocument(audit.DocPolicy, p.Digest, p.Canonical)
				if err != nil {
					return err
				}
				if created {
					if err := record(audit.PolicyLoadDecision(p)); err != nil {
						return err
					}
				}
				loads = append(loads, ReferenceLoad{Kind: audit.DocPolicy, Version: p.Version, Digest: p.Digest, New: created})
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.decided(kinds...)
	return loads, nil
}
