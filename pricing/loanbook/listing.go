package loanbook

import (
	"context"
	"strings"

	"tfpricing/catalog"
)

// LoanFilter selects the loans of a listing; a zero field matches every loan.
type LoanFilter struct {
	IndustryPrefix string       // a prefix of the borrower's industry code ("C28" matches "C2822")
	Tier           catalog.Tier // the tier the loan was booked with
	PathwayID      string       // exact
	ExternalRef    string       // exact
}

// Match reports whether l passes every set field of f.
func (f LoanFilter) Match(l *Loan) bool {
	return strings.HasPrefix(l.Borrower.IndustryCode, f.IndustryPrefix) &&
		(f.Tier == "" || l.Terms.Tier == f.Tier) &&
		(f.PathwayID == "" || l.PathwayID == f.PathwayID) &&
		(f.ExternalRef == "" || l.ExternalRef == f.ExternalRef)
}

// ScanPerItem bounds a filtered page's work: one page reads at most
// ScanPerItem × limit loans. A page that stops at that bound is short (it
// may even be empty) and still has a next cursor.
const ScanPerItem = 10

// Loans returns up to limit loans that match f, in id order after the
// cursor after, and the cursor of the next page: the id of the last loan
// read, or "" when no loan is left to read. Filtering happens here, over
// the store's id-ordered listing, so a page may be short and the page
// after a full one may be empty; without a filter every page but the last
// is full and the last has no next cursor.
func (s *Service) Loans(ctx context.Context, after string, limit int, f LoanFilter) ([]Loan, string, error) {
	var out []Loan
	var next string
	err := s.cfg.Store.View(ctx, func(tx Tx) error {
		out, next = nil, ""
		budget := limit * ScanPerItem
		cur, scanned := after, 0
		for {
			page, more, err := tx.Loans(cur, min(limit, budget-scanned))
			if err != nil {
				return err
			}
			for i := range page {
				l := &page[i]
				scanned++
				cur = l.ID
				if f.Match(l) {
					out = append(out, *l)
				}
				if len(out) == limit {
					if i < len(page)-1 || more {
						next = l.ID
					}
					return nil
				}
			}
			if !more {
				return nil
			}
			if scanned >= budget {
				next = cur
				return nil
			}
		}
	})
	return out, next, err
}
