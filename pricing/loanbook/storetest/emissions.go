package storetest

import (
	"reflect"
	"testing"

	"github.com/shopspring/decimal"

	"tfpricing"
	"tfpricing/pricing"
	"tfpricing/pricing/loanbook"
)

// testEmissions: a borrower's emissions attestations come back in sequence
// order, exactly as stored; another borrower's are apart (one USCC a
// prefix of another must not leak); a sequence is never overwritten.
func testEmissions(t *testing.T, s loanbook.Store) {
	e := func(uscc string, seq uint64, year int) pricing.Emissions {
		return pricing.Emissions{ID: "E-" + uscc, Seq: seq, USCC: uscc, Year: year, Scope1: dec("120000.5"),
			Scope2: dec("40000"), Output: dec("350000"), OutputUnit: "t", EquityPlusDebt: dec("800000000.00"),
			Source: pricing.SourceVerified, VerifierName: "v", VerifierAccreditation: "CNAS", EvidenceSHA256: "ab",
			AcceptedOn: day("2027-03-01"), IdempotencyKey: "k", RequestHash: "h"}
	}
	a2, a1, b1 := e("91330500MA2B3C4D5E", 2, 2026), e("91330500MA2B3C4D5E", 1, 2025), e("91330500MA2B3C4D5", 1, 2026)
	update(t, s, func(tx loanbook.Tx) error {
		for _, x := range []pricing.Emissions{a2, a1, b1} {
			if err := tx.PutEmissions(x); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, s, func(tx loanbook.Tx) error {
		got, err := tx.Emissions("91330500MA2B3C4D5E")
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(normEmissions(got), normEmissions([]pricing.Emissions{a1, a2})) {
			t.Errorf("emissions %+v", got)
		}
		if got, err := tx.Emissions("91330500MA2B3C4D5"); err != nil || len(got) != 1 || got[0].Year != 2026 {
			t.Errorf("the other borrower's: %+v, %v", got, err)
		}
		if got, err := tx.Emissions("nobody"); err != nil || len(got) != 0 {
			t.Errorf("unknown borrower: %+v, %v", got, err)
		}
		return nil
	})
	err := s.Update(ctx, func(tx loanbook.Tx) error { return tx.PutEmissions(a1) })
	if tfpricing.ErrorCode(err) != tfpricing.ECONFLICT {
		t.Errorf("the same sequence again: %v, want ECONFLICT", err)
	}
}

// normEmissions rewrites decimals in their normal form, so that equal
// values compare equal whatever their stored scale.
func normEmissions(es []pricing.Emissions) []pricing.Emissions {
	out := make([]pricing.Emissions, len(es))
	for i, e := range es {
		for _, d := range []*decimal.Decimal{&e.Scope1, &e.Scope2, &e.Output, &e.EquityPlusDebt} {
			*d = decimal.RequireFromString(d.String())
		}
		out[i] = e
	}
	return out
}
