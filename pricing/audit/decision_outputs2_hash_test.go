package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"tfpricing"
	"tfpricing/pricing"
)

// wantDigest is the digest of statuses worked independently of the code
// under test: SHA-256 of json.Marshal of their stored records.
func wantDigest(t *testing.T, statuses []pricing.AttestationStatus) string {
	t.Helper()
	recs := make([]attestationStatusRecord, len(statuses))
	for i, a := range statuses {
		recs[i] = newAttestationStatusRecord(a)
	}
	raw, err := json.Marshal(recs)
	if err != nil {
		t.Fatal(err)
	}
	if len(statuses) == 0 {
		raw = []byte("[]") // json.Marshal writes an empty slice so, a nil one null
	}
	sum := sha256.Sum256(bytes.ReplaceAll(raw, []byte(`\u0026`), []byte("&")))
	return hex.EncodeToString(sum[:])
}

func hashStatus(i int) pricing.AttestationStatus {
	st := pricing.AttestationStatus{ID: fmt.Sprintf("A-%08d", i), Seq: uint64(i), MetricID: "pet_fdy_energy",
		Year: 2026, AcceptedOn: tfpricing.NewDate(2027, 1, 1).AddDays(i % 300), Status: pricing.Correction, Outcome: pricing.Met}
	if i%3 == 0 {
		st.Status, st.Outcome = pricing.Late, ""
	}
	return st
}

// A status hash continued over appended statuses gives the digest of the
// whole list, across the chunks it is written in; one whose list changed
// before its end — a status inserted, the last one changed, or a caller
// claiming more kept statuses than the hash covers — is hashed again from
// the start, and still gives the list's digest.
func TestHashStatusesContinues(t *testing.T) {
	var list []pricing.AttestationStatus
	h := HashStatuses(nil, nil, 0)
	if h.Digest() != wantDigest(t, nil) || h.Count() != 0 {
		t.Fatalf("no statuses: %s", h.Digest())
	}
	for i := 1; i <= 120; i++ {
		list = append(list, hashStatus(i))
		if i%7 == 0 { // several at once
			list = append(list, hashStatus(1000+i), hashStatus(2000+i))
		}
		next := HashStatuses(list, h, h.Count())
		if next.Digest() != wantDigest(t, list) || next.Count() != len(list) {
			t.Fatalf("%d statuses: digest %s, want %s", len(list), next.Digest(), wantDigest(t, list))
		}
		if h.Count() > 0 && !h.of(list[:h.Count()]) {
			t.Fatal("the hash continued from no longer describes its own list")
		}
		h = next
	}
	// Inserted before the end: kept is where it went in.
	ins := append(append(append([]pricing.AttestationStatus(nil), list[:50]...), hashStatus(9999)), list[50:]...)
	if got := HashStatuses(ins, h, 50); got.Digest() != wantDigest(t, ins) {
		t.Error("a status inserted at 50")
	}
	// The caller's word is checked as far as it can be: the last status
	// hashed must be the list's at that place.
	changed := append([]pricing.AttestationStatus(nil), list...)
	changed[len(changed)-1].Outcome = pricing.Missed
	if got := HashStatuses(changed, h, len(changed)); got.Digest() != wantDigest(t, changed) {
		t.Error("the last status changed, kept claimed whole")
	}
	// kept one short of the hash: hashed from the start.
	shorter := append([]pricing.AttestationStatus(nil), list...)
	shorter[len(shorter)-2].Seq++
	if got := HashStatuses(shorter, h, len(shorter)-1); got.Digest() != wantDigest(t, shorter) {
		t.Error("kept one short of the hash")
	}
	// A hash of exactly the list: nothing to add.
	if got := HashStatuses(list, h, len(list)); got.Digest() != wantDigest(t, list) {
		t.Error("the same list again")
	}
}

// A decision made with the statuses' hash is byte for byte the decision
// made without it; one given the hash of another list is too.
func TestDecisionHashedIsDecision(t *testing.T) {
	d := layout2Decision(t, 2, strings.Repeat("e", 64))
	in, err := DecodeLoanInputs(d.Inputs)
	if err != nil {
		t.Fatal(err)
	}
	out, err := DecodeLoanOutputs(d.Outputs)
	if err != nil {
		t.Fatal(err)
	}
	p, c := shippedPolicy(t), shippedCurve(t)
	s, err := pricing.Compute(pricing.Input{Terms: appendixTerms(), Policy: p, Curve: c, Attestations: appendixAttestations(), AsOf: d.AsOf})
	if err != nil || len(s.Attestations) != 2 {
		t.Fatalf("%v: %d statuses", err, len(s.Attestations))
	}
	plain, err := in.Decision(DecisionAttestation, s, *d.Policy, *d.Catalogue)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(plain.Outputs, d.Outputs) || out.Statuses.Count != 2 {
		t.Fatal("the recomputed schedule is not the recorded one")
	}
	one := HashStatuses(s.Attestations[:1], nil, 0)
	for name, h := range map[string]*StatusHash{
		"continued": HashStatuses(s.Attestations, one, 1),
		"another":   one,
		"changed":   HashStatuses([]pricing.AttestationStatus{s.Attestations[0], hashStatus(7)}, nil, 0),
	} {
		got, err := in.DecisionHashed(DecisionAttestation, s, *d.Policy, *d.Catalogue, h)
		if err != nil || !bytes.Equal(got.Outputs, plain.Outputs) || !bytes.Equal(got.Inputs, plain.Inputs) {
			t.Errorf("%s: %v\n%s\n%s", name, err, got.Outputs, plain.Outputs)
		}
	}
}
