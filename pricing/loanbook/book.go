package loanbook

import (
	"context"
	"encoding/json"

	"tfpricing"
	"tfpricing/catalog"
	"tfpricing/pricing"
	"tfpricing/pricing/audit"
)

// Booking is a priced loan ready to book: the converted and assessed
// request, from a stored quote or from full terms.
type Booking struct {
	QuoteID     string // empty for full terms
	ExternalRef string
	Plan        catalog.Plan
	Assessment  catalog.Assessment
	Terms       pricing.Terms // Tier set from the assessment
	Catalogue   catalog.Ref
	Policy      pricing.PolicyRef
	Request     json.RawMessage
}

// Quote returns a stored quote.
func (s *Service) Quote(ctx context.Context, id string) (StoredQuote, error) {
	var q StoredQuote
	err := s.cfg.Store.View(ctx, func(tx Tx) error {
		var err error
		q, err = tx.Quote(id)
		return err
	})
	return q, err
}

// Book books a loan: it freezes the terms, computes the schedule as of the
// business date and stores both, in one transaction. A quote books once.
func (s *Service) Book(ctx context.Context, actor tfpricing.Actor, b Booking) (Loan, pricing.Schedule, audit.Decision, error) {
	today := s.Today()
	var loan Loan
	var sched pricing.Schedule
	var dec audit.Decision
	err := s.cfg.Store.Update(ctx, func(tx Tx) error {
		if _, err := s.refreshCurve(tx); err != nil {
			return err
		}
		if b.QuoteID != "" {
			q, err := tx.Quote(b.QuoteID)
			if err != nil {
				return err
			}
			if q.LoanID != "" {
				return tfpricing.Errorf(tfpricing.ECONFLICT, "quote %s is already booked as loan %s", q.ID, q.LoanID)
			}
			if today.After(q.ValidUntil) {
				return tfpricing.Errorf(tfpricing.EUNPROCESSABLE, "quote %s expired on %s; price the loan again", q.ID, q.ValidUntil)
			}
		}
		id, err := tx.NextLoanID()
		if err != nil {
			return err
		}
		loan = Loan{
			ID: id, ExternalRef: b.ExternalRef, QuoteID: b.QuoteID, BookedAt: s.cfg.Now().UTC(),
			BookedOn: today, AsOf: b.Plan.AsOf, Borrower: b.Plan.Borrower, PathwayID: b.Plan.PathwayID,
			Terms: b.Terms, Catalogue: b.Catalogue, Policy: b.Policy, Request: b.Request,
		}
		if sched, err = s.compute(tx, loan, nil, today); err != nil {
			return err
		}
		if err := tx.PutLoan(loan); err != nil {
			return err
		}
		event := map[string]any{"event": "booking", "external_ref": b.ExternalRef, "quote_id": b.QuoteID,
			"priced_as_of": b.Plan.AsOf.String(), "tier": string(b.Terms.Tier)}
		if dec, err = s.recordLoan(tx, audit.DecisionBooking, actor, loan, audit.NoAttestations, today, event, nil, sched); err != nil {
			return err
		}
		st := NewScheduleState(id, sched, s.latestFixing(today), 1, dec.Seq)
		st.AttChain = audit.NoAttestations
		if err := tx.PutSchedule(st); err != nil {
			return err
		}
		if b.QuoteID != "" {
			q, err := tx.Quote(b.QuoteID)
			if err != nil {
				return err
			}
			q.LoanID = id
			return tx.PutQuote(q)
		}
		return nil
	})
	if err != nil {
		return Loan{}, pricing.Schedule{}, audit.Decision{}, err
	}
	s.recalculated(1)
	s.decided(dec.Kind)
	return loan, sched, dec, nil
}
