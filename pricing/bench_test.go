package pricing

import (
	"fmt"
	"os"
	"testing"

	"tfpricing/catalog"
)

// Benchmarks of DESIGN.md §9 that belong to this package. Run with
//
//	go test -run '^$' -bench . -benchmem ./pricing/

// benchTerms is a 5-year quarterly equal-principal loan with two KPIs of
// three SPTs each and a one-year subsidy: the quote of §9.
func benchTerms() Terms {
	t := quoteTerms()
	t.Facility.TenorMonths = 60
	t.KPIs = append(t.KPIs, KPI{KPI: catalog.KPI{MetricID: "carbon_intensity", Direction: catalog.LowerIsBetter,
		Targets: []catalog.Observation{{Year: 2027, Value: dec("1.10")}, {Year: 2028, Value: dec("1.00")},
			{Year: 2029, Value: dec("0.90")}}}})
	return t
}

// BenchmarkQuote prices the §9 quote: breakdown and three projections.
func BenchmarkQuote(b *testing.B) {
	p, c, terms, asOf := shippedPolicy(b), shippedCurve(b), benchTerms(), day("2026-11-27")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := PriceQuote(terms, p, c, asOf); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSchedule10YMonthly computes one 120-period schedule with
// recorded attestations, the largest common recalculation.
func BenchmarkSchedule10YMonthly(b *testing.B) {
	in := Input{Terms: benchTerms(), Policy: shippedPolicy(b), Curve: shippedCurve(b), AsOf: day("2029-06-30")}
	in.Terms.Facility.TenorMonths, in.Terms.Facility.PaymentFrequency = 120, 1
	in.Attestations = []Attestation{
		att("a1", 1, "pet_fdy_energy", 2026, "80", "2027-03-01"),
		att("a2", 2, "carbon_intensity", 2027, "1.2", "2028-02-01"),
		att("a3", 3, "pet_fdy_energy", 2027, "77", "2028-04-01"),
		att("a4", 4, "pet_fdy_energy", 2027, "75", "2028-06-01"),
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compute(in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRecalculateAfterAttestation is the work of an attestation POST
// apart from storage: classify the candidate, then recompute the schedule
// as of its acceptance date with it recorded.
func BenchmarkRecalculateAfterAttestation(b *testing.B) {
	p := shippedPolicy(b)
	in := Input{Terms: benchTerms(), Policy: p, Curve: shippedCurve(b), AsOf: day("2028-03-10")}
	recorded := []Attestation{att("a1", 1, "pet_fdy_energy", 2026, "80", "2027-03-01")}
	cand := att("a2", 2, "pet_fdy_energy", 2027, "75.2", "2028-03-10")
	in.Attestations = append(recorded, cand)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := PreviewAttestation(in.Terms, p, recorded, cand); err != nil {
			b.Fatal(err)
		}
		if _, err := Compute(in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParsePolicy loads the shipped policy, as start-up and replay do.
func BenchmarkParsePolicy(b *testing.B) {
	data, err := os.ReadFile("../configs/policy/2026.1.yaml")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParsePolicy("2026.1.yaml", data); err != nil {
			b.Fatal(err)
		}
	}
}

// TestBenchInputsValid keeps the benchmark inputs honest: they must price
// without error and exercise the ratchet, or the figures mean little.
func TestBenchInputsValid(t *testing.T) {
	q, err := PriceQuote(benchTerms(), shippedPolicy(t), shippedCurve(t), day("2026-11-27"))
	if err != nil {
		t.Fatal(err)
	}
	if len(q.Current.Lines) != 20 || q.Savings.IsZero() {
		t.Errorf("quote: %d lines, savings %s", len(q.Current.Lines), q.Savings)
	}
	in := Input{Terms: benchTerms(), Policy: shippedPolicy(t), Curve: shippedCurve(t), AsOf: day("2029-06-30")}
	in.Terms.Facility.TenorMonths, in.Terms.Facility.PaymentFrequency = 120, 1
	s, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Lines) != 120 {
		t.Errorf("%d lines, want 120", len(s.Lines))
	}
}

// BenchmarkAttestFromState is the pricing work of an attestation on a loan
// whose ratchet state is cached (the loan book's prepareAttestation):
// preview the candidate from the state of the 100 recorded attestations,
// then compute the schedule with it from that state, which the next
// iteration extends in turn, as a loan's attestations do one by one.
func BenchmarkAttestFromState(b *testing.B) {
	p := shippedPolicy(b)
	in := Input{Terms: benchTerms(), Policy: p, Curve: shippedCurve(b), AsOf: day("2028-03-10")}
	var recorded []Attestation
	for i := range 100 {
		a := att(fmt.Sprint("a", i), uint64(i+1), "pet_fdy_energy", 2026, "80", "2027-03-01")
		if i%2 == 1 {
			a = att(fmt.Sprint("a", i), uint64(i+1), "carbon_intensity", 2027, "1.2", "2028-02-01")
		}
		recorded = append(recorded, a)
	}
	in.Attestations = recorded
	_, st, err := ComputeFrom(nil, in)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		cand := att("c", uint64(101+i), "pet_fdy_energy", 2027, "75.2", "2028-03-10")
		if _, _, err := PreviewAttestationFrom(st, in.Terms, p, recorded, cand); err != nil {
			b.Fatal(err)
		}
		recorded = append(recorded, cand)
		in.Attestations = recorded
		if _, st, err = ComputeFrom(st, in); err != nil || st.Kept() == 0 {
			b.Fatal(err, st.Kept())
		}
	}
}
