package loanbook

import (
	"context"

	"tfpricing"
	"tfpricing/pricing"
)

// portfolioPage is how many loans one step of a walk over the book reads.
const portfolioPage = 512

// EachLoan walks the book in id order in one read transaction, calling fn
// with each loan and its attestations; it stops at fn's first error or
// when ctx ends. The book is read a page at a time and never held.
func (s *Service) EachLoan(ctx context.Context, fn func(tx Tx, l Loan, atts []pricing.Attestation) error) error {
	return s.cfg.Store.View(ctx, func(tx Tx) error {
		after := ""
		for {
			if err := ctx.Err(); err != nil {
				return err
			}
			loans, more, err := tx.Loans(after, portfolioPage)
			if err != nil {
				return err
			}
			for _, l := range loans {
				atts, err := tx.Attestations(l.ID)
				if err != nil {
					return err
				}
				if err := fn(tx, l, atts); err != nil {
					return err
				}
			}
			if !more || len(loans) == 0 {
				return nil
			}
			after = loans[len(loans)-1].ID
		}
	})
}

// Portfolio computes the book as a whole on opt.AsOf (pricing.Portfolio):
// every loan booked by then, its schedule as it stood on that date under
// the recorded state and the all_met and none_met projections.
func (s *Service) Portfolio(ctx context.Context, opt pricing.PortfolioOptions) (pricing.Portfolio, error) {
	b := pricing.NewPortfolioBuilder(opt)
	err := s.EachLoan(ctx, func(tx Tx, l Loan, atts []pricing.Attestation) error {
		if l.BookedOn.After(opt.AsOf) {
			return nil
		}
		pl, err := s.portfolioLoan(tx, l, atts, opt.AsOf)
		if err != nil {
			return err
		}
		es, err := tx.Emissions(l.Borrower.USCC)
		if err != nil {
			return err
		}
		baseline := 0
		if len(l.Terms.KPIs) > 0 {
			baseline = l.Terms.KPIs[0].Baseline.Year
		}
		le := pricing.AttributeEmissions(pricing.Outstanding(pl.Current, opt.AsOf), es, opt.EmissionsYear, baseline)
		pl.Emissions = &le
		b.Add(pl)
		return nil
	})
	if err != nil {
		return pricing.Portfolio{}, err
	}
	return b.Result(), nil
}

func (s *Service) portfolioLoan(tx Tx, l Loan, atts []pricing.Attestation, asOf tfpricing.Date) (pricing.PortfolioLoan, error) {
	p, err := s.policy(tx, l.Policy)
	if err != nil {
		return pricing.PortfolioLoan{}, err
	}
	curve, err := s.curveIn(tx)
	if err != nil {
		return pricing.PortfolioLoan{}, err
	}
	pl := pricing.PortfolioLoan{LoanID: l.ID, IndustryCode: l.Borrower.IndustryCode, PathwayID: l.PathwayID,
		Tier: string(l.Terms.Tier), CreditRating: l.Terms.CreditRating, PolicyVersion: l.Policy.Version,
		Amount: l.Terms.Facility.Amount}
	for _, pr := range []struct {
		proj pricing.Projection
		dst  *pricing.Schedule
	}{{pricing.Current, &pl.Current}, {pricing.AllMet, &pl.AllMet}, {pricing.NoneMet, &pl.NoneMet}} {
		*pr.dst, err = pricing.Compute(pricing.Input{Terms: l.Terms, Policy: p, Curve: curve, Attestations: atts,
			AsOf: asOf, Assumptions: pricing.Assumptions{Projection: pr.proj}})
		if err != nil {
			return pricing.PortfolioLoan{}, err
		}
	}
	return pl, nil
}

// BookLoans returns the loans a portfolio simulation runs over: those
// booked by asOf and still running after it that keep passes, each with its
// booked policy and attestations, in id order.
func (s *Service) BookLoans(ctx context.Context, asOf tfpricing.Date, keep func(Loan) bool) ([]pricing.BookLoan, error) {
	var out []pricing.BookLoan
	err := s.EachLoan(ctx, func(tx Tx, l Loan, atts []pricing.Attestation) error {
		if l.BookedOn.After(asOf) || !l.Active(asOf) || !keep(l) {
			return nil
		}
		p, err := s.policy(tx, l.Policy)
		if err != nil {
			return err
		}
		out = append(out, pricing.BookLoan{LoanID: l.ID, IndustryCode: l.Borrower.IndustryCode, Terms: l.Terms,
			Policy: p, Attestations: atts})
		return nil
	})
	return out, err
}
