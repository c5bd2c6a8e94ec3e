package loanbook

import (
	"context"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/pricing"
)

// DisclosureRow is one loan of the disclosure export (JR/T 0227-2021
// environmental information disclosure and the transition-loan statistics
// return): the loan, its schedule as of the export date and its financed
// emissions for the year asked.
type DisclosureRow struct {
	Loan        Loan
	Outstanding decimal.Decimal
	Rate        decimal.Decimal // the rate in force on the date; zero once matured
	Matured     bool
	Schedule    pricing.Schedule
	Emissions   pricing.LoanEmissions
}

// Disclosure walks every loan booked by asOf in id order, calling fn with
// its row; one loan is held at a time, so the book's size does not matter.
func (s *Service) Disclosure(ctx context.Context, asOf tfpricing.Date, emissionsYear int, fn func(DisclosureRow) error) error {
	return s.EachLoan(ctx, func(tx Tx, l Loan, atts []pricing.Attestation) error {
		if l.BookedOn.After(asOf) {
			return nil
		}
		sched, err := s.compute(tx, l, atts, asOf)
		if err != nil {
			return err
		}
		es, err := tx.Emissions(l.Borrower.USCC)
		if err != nil {
			return err
		}
		row := DisclosureRow{Loan: l, Schedule: sched, Outstanding: pricing.Outstanding(sched, asOf), Matured: true}
		for _, ln := range sched.Lines {
			if ln.End.After(asOf) {
				row.Rate, row.Matured = ln.Rate, false
				break
			}
		}
		baseline := 0
		if len(l.Terms.KPIs) > 0 {
			baseline = l.Terms.KPIs[0].Baseline.Year
		}
		row.Emissions = pricing.AttributeEmissions(row.Outstanding, es, emissionsYear, baseline)
		return fn(row)
	})
}
