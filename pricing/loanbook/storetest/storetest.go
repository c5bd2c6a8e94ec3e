// Package storetest is the contract of loanbook.Store, as tests any
// implementation runs unchanged:
//
//	func TestContract(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) loanbook.Store { return openFresh(t) })
//	}
//
// open must return an empty store that lives until the test ends (and
// check its own consistency then). The tests speak only the interface, in
// domain values, so what they require is what the loan book relies on.
package storetest

import (
	"context"
	"testing"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/pricing/loanbook"
)

// Run runs every contract test against stores made by open, each test on
// a fresh one.
func Run(t *testing.T, open func(t *testing.T) loanbook.Store) {
	for _, c := range []struct {
		name string
		test func(*testing.T, loanbook.Store)
	}{
		{"Documents", testDocuments},
		{"Quotes", testQuotes},
		{"Loans", testLoans},
		{"Attestations", testAttestations},
		{"Schedules", testSchedules},
		{"Fixings", testFixings},
		{"Idempotency", testIdempotency},
		{"Emissions", testEmissions},
		{"DecisionChain", testDecisionChain},
		{"DecisionListing", testDecisionListing},
		{"UpdateIsAtomic", testUpdateIsAtomic},
		{"ConcurrentUpdates", testConcurrentUpdates},
		{"Proposals", testProposals},
		{"Lifecycles", testLifecycles},
		{"LoanSince", testLoanSince},
	} {
		t.Run(c.name, func(t *testing.T) { c.test(t, open(t)) })
	}
}

var ctx = context.Background()

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func day(s string) tfpricing.Date { return tfpricing.MustParseDate(s) }

// update and view run fn and fail the test on an error.
func update(t *testing.T, s loanbook.Store, fn func(loanbook.Tx) error) {
	t.Helper()
	if err := s.Update(ctx, fn); err != nil {
		t.Fatal(err)
	}
}

func view(t *testing.T, s loanbook.Store, fn func(loanbook.Tx) error) {
	t.Helper()
	if err := s.View(ctx, fn); err != nil {
		t.Fatal(err)
	}
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if tfpricing.ErrorCode(err) != code {
		t.Errorf("%s: error %v, want code %s", what, err, code)
	}
}
