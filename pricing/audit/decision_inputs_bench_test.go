package audit

import (
	"bytes"
	"testing"

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
