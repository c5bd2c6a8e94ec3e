package test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"tfpricing/pricing/audit"
)

// TestFixtureDecisionsAgain lives through the fixture's events again with
// the current binary and requires the same schedules and responses, and
// every decision to hash exactly as the old code's did (since the engine
// version moved past the fixture's: every decision but quotes and
// simulations, under the fixture's engine version): only the wall clock (recorded_at) and the request ids
// may differ, so with the old ones put back, resealing each new record on
// the old record's predecessor gives the old hash — the same inputs,
// outputs, fixings, documents and chain, byte for byte. Loan decisions now
// reference the loan's earlier attestations (loan inputs layout 2, issue
// 18) where the fixture's copied them: their reference must be the chain
// over exactly the attestations the old record copied, and with those put
// back the inputs must be the old ones byte for byte. Their outputs keep
// the attestation statuses by digest (loan outputs layout 2): the digest
// and count must be those of the old record's statuses, the statuses kept
// in full those of the attestations the new record holds, and with the old
// statuses put back the outputs must be the old ones byte for byte.
func TestFixtureDecisionsAgain(t *testing.T) {
	db := filepath.Join(t.TempDir(), "tfpricing.db")
	gunzip(t, fixtureDB, db)
	old := startV1(t, filepath.Dir(db), fixtureLastDay)
	oldExport := old.raw("/v1/decisions/export", "auditor")
	old.stop()
	_, _, retry, p := liveFixture(t, t.TempDir())
	newExport := p.raw("/v1/decisions/export", "auditor")
	// The responses that hold no wall-clock time are the old ones too.
	raw, err := os.ReadFile(fixtureExpect)
	if err != nil {
		t.Fatal(err)
	}
	var want fixtureExpected
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	if retry.Response != want.Retry.Response {
		t.Errorf("the correction's response\n got %s\nwant %s", retry.Response, want.Retry.Response)
	}
	for _, id := range want.Loans {
		for _, path := range []string{"/v1/loans/" + id + "/schedule", "/v1/loans/" + id + "/schedule?as_of=2024-03-14"} {
			if got := string(p.raw(path, "auditor")); got != want.Responses["GET "+path] {
				t.Errorf("GET %s\n got %s\nwant %s", path, got, want.Responses["GET "+path])
			}
		}
		path := "/v1/loans/" + id + "/attestations"
		if got := string(p.raw(path, "verifier")); got != want.Responses["GET "+path] {
			t.Errorf("GET %s\n got %s\nwant %s", path, got, want.Responses["GET "+path])
		}
	}
	p.stop()
	// An engine version after the fixture's may change what a quote
	// decides (its eligibility checks); every other decision must still
	// come out the same, under the fixture's engine version.
	engineMoved := audit.EngineVersion != fixtureEngine
	olds, news := bytes.Split(bytes.TrimSpace(oldExport), []byte("\n")), bytes.Split(bytes.TrimSpace(newExport), []byte("\n"))
	if len(olds) != len(news) {
		t.Fatalf("%d decisions now, %d in the fixture", len(news), len(olds))
	}
	for i := range olds {
		o, err := audit.DecodeDecision(olds[i])
		if err != nil {
			t.Fatal(err)
		}
		n, err := audit.DecodeDecision(news[i])
		if err != nil {
			t.Fatal(err)
		}
		if engineMoved {
			if o.Kind == audit.DecisionQuote || o.Kind == audit.DecisionSimulation {
				continue // their eligibility checks are the engine's to change
			}
			n.EngineVersion = o.EngineVersion
		}
		n.RecordedAt, n.Actor.RequestID = o.RecordedAt, o.Actor.RequestID
		if n.Kind.IsLoan() {
			n.Outputs = asOutputsLayout1(t, o, n)
			n.Inputs = asLayout1(t, o, n)
		}
		if err := n.Seal(o.PrevHash); err != nil {
			t.Fatal(err)
		}
		if n.Hash != o.Hash {
			t.Errorf("decision %d (%s) hashes %s, the fixture's %s\n now %s\nthen %s", o.Seq, o.Kind, n.Hash, o.Hash,
				n.CanonicalBytes(), olds[i])
		}
	}
}

// asLayout1 checks that new loan decision n's layout-2 inputs reference
// exactly the attestations old decision o (layout 1) copied, and returns
// n's inputs with them copied back.
func asLayout1(t *testing.T, o, n audit.Decision) json.RawMessage {
	t.Helper()
	ni, err := audit.DecodeLoanInputs(n.Inputs)
	if err != nil {
		t.Fatal(err)
	}
	oi, err := audit.DecodeLoanInputs(o.Inputs)
	if err != nil {
		t.Fatal(err)
	}
	if ni.Earlier == nil {
		return n.Inputs
	}
	k := ni.Earlier.Count
	if k > len(oi.Attestations) || len(oi.Attestations)-k != len(ni.Attestations) {
		t.Fatalf("decision %d references %d attestations and holds %d; the fixture's held %d", n.Seq, k, len(ni.Attestations), len(oi.Attestations))
	}
	if want, err := audit.ChainAttestations(oi.Attestations[:k]); err != nil || want != *ni.Earlier {
		t.Errorf("decision %d references %+v; the fixture's first %d attestations chain to %+v (%v)", n.Seq, *ni.Earlier, k, want, err)
	}
	ni.Earlier, ni.Attestations = nil, append(oi.Attestations[:k:k], ni.Attestations...)
	raw, err := ni.Encode()
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// asOutputsLayout1 checks that new loan decision n's layout-2 outputs stand
// for exactly the attestation statuses old decision o (layout 1) recorded,
// keeping in full those of the attestations n's inputs hold, and returns
// n's outputs with the old statuses put back in layout 1.
func asOutputsLayout1(t *testing.T, o, n audit.Decision) json.RawMessage {
	t.Helper()
	no, err := audit.DecodeLoanOutputs(n.Outputs)
	if err != nil {
		t.Fatal(err)
	}
	if no.Statuses == nil {
		return n.Outputs
	}
	oo, err := audit.DecodeLoanOutputs(o.Outputs)
	if err != nil {
		t.Fatal(err)
	}
	ni, err := audit.DecodeLoanInputs(n.Inputs)
	if err != nil {
		t.Fatal(err)
	}
	old := oo.Schedule.Attestations
	if !no.Statuses.Matches(old) {
		t.Errorf("decision %d: statuses %d with digest %s; the fixture's %d do not give it", n.Seq, no.Statuses.Count,
			no.Statuses.Digest, len(old))
	}
	var want []string
	for _, st := range old {
		for _, a := range ni.Attestations {
			if a.Seq == st.Seq {
				want = append(want, st.ID+"/"+string(st.Status)+"/"+string(st.Outcome))
			}
		}
	}
	var got []string
	for _, st := range no.Statuses.Introduced {
		got = append(got, st.ID+"/"+string(st.Status)+"/"+string(st.Outcome))
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("decision %d keeps statuses %v in full; the fixture's for its attestations are %v", n.Seq, got, want)
	}
	no.Statuses, no.Schedule.Attestations = nil, old
	raw, err := no.Encode()
	if err != nil {
		t.Fatal(err)
	}
	return raw
}
