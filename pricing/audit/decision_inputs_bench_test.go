package audit

import (
	"bytes"
	bigpkg "math/big"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"

	"tfpricing/pricing"
	"tfpricing/pricing/canon"
)

// loanInputsFixture is an attestation's inputs as the loan book makes them
// (layout 2): the Appendix A terms, the new attestation, the chain over
// the earlier ones, the previous schedule's period rates and the event.
func loanInputsFixture(t testing.TB) LoanInputs {
	t.Helper()
	atts := appendixAttestations()
	before, err := pricing.Compute(pricing.Input{Terms: appendixTerms(), Policy: shippedPolicy(t), Curve: shippedCurve(t),
		Attestations: atts[:1], AsOf: day("2025-02-28")})
	if err != nil {
		t.Fatal(err)
	}
	event := map[string]any{"event": "attestation", "attestation_id": atts[1].ID, "metric_id": atts[1].MetricID,
		"year": atts[1].Year, "status": "on_time"}
	in, err := NewLoanInputs("L-00000001", appendixTerms(), atts[1:], day("2025-03-01"), event, before)
	if err != nil {
		t.Fatal(err)
	}
	chain, err := ChainAttestations(atts[:1])
	if err != nil {
		t.Fatal(err)
	}
	in.Earlier = &chain
	return in
}

// The hand-written inputs of a real attestation are canon.Marshal's bytes
// of the same record, and canonical.
func TestLoanInputsEncodeMatchesMarshal(t *testing.T) {
	for _, layout2 := range []bool{false, true} {
		in := loanInputsFixture(t)
		if !layout2 {
			in.Earlier = nil
		}
		got, err := in.Encode()
		if err != nil {
			t.Fatal(err)
		}
		rec := loanInputsRecord{AsOf: in.AsOf.String(), Attestations: []attestationRecord{newAttestationRecord(in.Attestations[0])},
			Event: in.Event, LoanID: in.LoanID, PreviousRates: make([]periodRateRecord, len(in.PreviousRates)),
			Terms: newTermsRecord(in.Terms), Earlier: newAttestationChainRecord(in.Earlier)}
		if layout2 {
			rec.Layout = loanInputsLayout2
		}
		for i, p := range in.PreviousRates {
			rec.PreviousRates[i] = periodRateRecord{Period: p.Period, Start: p.Start.String(), Rate: rateString(p.Rate)}
		}
		want, err := canon.Marshal(rec)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("layout2=%v:\n got %s\nwant %s", layout2, got, want)
		}
		if c, err := canon.Canonical(got); err != nil || !bytes.Equal(c, got) {
			t.Fatalf("layout2=%v: not canonical: %v", layout2, err)
		}
	}
}

// go test -run '^$' -bench LoanInputsEncode ./pricing/audit/: what writing
// an attestation's inputs costs.
func BenchmarkLoanInputsEncode(b *testing.B) {
	in := loanInputsFixture(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := in.Encode(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoanOutputsEncode is an attestation's outputs (layout 2): the
// Appendix A schedule after its 2024 attestation, and its rate changes.
func BenchmarkLoanOutputsEncode(b *testing.B) {
	in := loanInputsFixture(b)
	after, err := pricing.Compute(pricing.Input{Terms: appendixTerms(), Policy: shippedPolicy(b), Curve: shippedCurve(b),
		Attestations: appendixAttestations(), AsOf: day("2025-03-01")})
	if err != nil {
		b.Fatal(err)
	}
	out := in.outputs(after, true, nil)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := out.Encode(); err != nil {
			b.Fatal(err)
		}
	}
}

// Encode writes the previous rates without records of strings: held to
// canon.Marshal of the records (rateString, Start.String()) on random
// rates — whole, with up to 8 decimals (past the 4 a rate is written
// with, so both of fixedString's branches), negative, past int64 — and
// periods, with dates set and unset, none at all and nil.
func TestLoanInputsEncodeRatesMatchMarshal(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 13))
	base := loanInputsFixture(t)
	big, _ := new(bigpkg.Int).SetString("-98765432109876543210987", 10)
	for i := range 500 {
		in := base
		in.PreviousRates = nil
		if n := r.IntN(25); i%10 != 0 {
			in.PreviousRates = make([]PeriodRate, n)
		}
		for j := range in.PreviousRates {
			p := PeriodRate{Period: r.IntN(200) - 3, Rate: decimal.New(r.Int64N(2_000_001)-1_000_000, int32(r.IntN(11))-8)}
			switch r.IntN(5) {
			case 0:
				p.Rate = decimal.NewFromBigInt(big, -int32(r.IntN(30)))
			case 1:
				p.Rate = decimal.New(r.Int64N(100), 0)
			}
			if r.IntN(4) > 0 {
				p.Start = day("2026-01-31").AddDays(r.IntN(4000))
			}
			in.PreviousRates[j] = p
		}
		got, err := in.Encode()
		if err != nil {
			t.Fatal(err)
		}
		rec := loanInputsRecord{AsOf: in.AsOf.String(), Attestations: []attestationRecord{newAttestationRecord(in.Attestations[0])},
			Event: in.Event, LoanID: in.LoanID, PreviousRates: make([]periodRateRecord, len(in.PreviousRates)),
			Terms: newTermsRecord(in.Terms), Earlier: newAttestationChainRecord(in.Earlier), Layout: loanInputsLayout2}
		for i, p := range in.PreviousRates {
			rec.PreviousRates[i] = periodRateRecord{Period: p.Period, Start: p.Start.String(), Rate: rateString(p.Rate)}
		}
		want, err := canon.Marshal(rec)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("case %d:\n got %s\nwant %s", i, got, want)
		}
	}
}
