package pricing

import (
	"fmt"
	"testing"
)

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
