package loanbook

import (
	"sync"
	"testing"

	"tfpricing/pricing"
	"tfpricing/pricing/audit"
)

func att(seq uint64) pricing.Attestation {
	return pricing.Attestation{ID: pricing.AttestationID(seq), Seq: seq}
}

// The first preparation from a view appends into the room after its
// attestations; a second one from the same view copies, so neither sees
// the other's attestation, and the view itself still shows only its own.
func TestWithAttestationAppendsInPlaceOnce(t *testing.T) {
	atts := make([]pricing.Attestation, 2, 4) // room for two more
	atts[0], atts[1] = att(1), att(2)
	v := newLoanView(Loan{}, ScheduleState{}, atts, audit.AttestationChain{}, true)

	first, spare1 := v.withAttestation(att(3))
	if len(first) != 3 || &first[0] != &atts[0] || first[2].Seq != 3 {
		t.Fatalf("first: len %d, in place %v", len(first), &first[0] == &atts[0])
	}
	second, _ := v.withAttestation(att(30))
	if len(second) != 3 || &second[0] == &atts[0] || second[2].Seq != 30 || first[2].Seq != 3 {
		t.Fatalf("second: %v, first's last now %d", second, first[2].Seq)
	}
	if len(v.atts) != 2 {
		t.Fatalf("the view grew to %d", len(v.atts))
	}
	// A view of first (as commitAttestation makes one, sharing its flag)
	// may use the last free slot, once.
	w := newLoanView(Loan{}, ScheduleState{}, first, audit.AttestationChain{}, false)
	w.spare = spare1
	third, _ := w.withAttestation(att(4))
	if &third[0] != &atts[0] || cap(third) != 4 {
		t.Fatalf("third not in place")
	}
	// A full slice (len == cap, the boundary) has no room: it copies.
	full, _ := (&loanView{atts: third, spare: spare1}).withAttestation(att(5))
	if &full[0] == &atts[0] || len(full) != 5 || full[4].Seq != 5 {
		t.Fatalf("full slice appended in place")
	}
	// Another view sharing w's flag finds the room already taken.
	other := &loanView{atts: first, spare: w.spare}
	if again, _ := other.withAttestation(att(40)); &again[0] == &atts[0] || third[3].Seq != 4 {
		t.Fatalf("room taken twice: third's last now %d", third[3].Seq)
	}
}

// Concurrent preparations from one view (read transactions of one loan)
// each get their own attestation last; run with -race.
func TestWithAttestationConcurrent(t *testing.T) {
	atts := make([]pricing.Attestation, 1, 64)
	atts[0] = att(1)
	v := newLoanView(Loan{}, ScheduleState{}, atts, audit.AttestationChain{}, true)
	var wg sync.WaitGroup
	got := make([][]pricing.Attestation, 16)
	for i := range got {
		wg.Go(func() { got[i], _ = v.withAttestation(att(uint64(100 + i))) })
	}
	wg.Wait()
	inPlace := 0
	for i, g := range got {
		if len(g) != 2 || g[0].Seq != 1 || g[1].Seq != uint64(100+i) {
			t.Errorf("%d: %v", i, g)
		}
		if &g[0] == &atts[0] {
			inPlace++
		}
	}
	if inPlace != 1 {
		t.Errorf("%d appended in place, want 1", inPlace)
	}
}
