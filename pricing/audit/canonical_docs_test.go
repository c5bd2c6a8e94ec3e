package audit

import (
	"testing"

	"tfpricing/pricing/canon"
)

// The catalogue and policy documents are stored in their canonical form,
// which Canonical must leave exactly as it is.
func TestCanonicalFixedPointOfDocuments(t *testing.T) {
	for name, doc := range map[string][]byte{
		"catalogue": shippedCatalogue(t).Canonical,
		"policy":    shippedPolicy(t).Canonical,
	} {
		if got := mustCanonical(t, doc); got != string(doc) {
			t.Errorf("%s: Canonical changed the stored canonical form", name)
		}
	}
}

// The records the service writes are canonical by construction.
func TestRecordsAreCanonical(t *testing.T) {
	for _, d := range chainOf(t, 4) {
		for _, part := range [][]byte{d.Inputs, d.Outputs, d.CanonicalBytes()} {
			if !canon.IsCanonical(part) {
				t.Errorf("%s record part is not recognised as canonical", d.Kind)
			}
		}
	}
}

func BenchmarkCanonicalLoanOutputs(b *testing.B) {
	d := attestationDecision(b, 1, GenesisHash)
	b.SetBytes(int64(len(d.Outputs)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := canon.Canonical(d.Outputs); err != nil {
			b.Fatal(err)
		}
	}
}

func mustCanonical(t testing.TB, v any) string {
	t.Helper()
	b, err := canon.Canonical(v)
	if err != nil {
		t.Fatalf("Canonical(%v): %v", v, err)
	}
	return string(b)
}
