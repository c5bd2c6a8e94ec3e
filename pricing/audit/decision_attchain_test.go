package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"

	"tfpricing"
	"tfpricing/pricing"
)

// attDocs is memDocs with each loan's stored attestations, as a store's
// transaction gives them to replay.
type attDocs struct {
	memDocs
	atts map[string][]pricing.Attestation
}

func (d attDocs) Attestations(loanID string) ([]pricing.Attestation, error) {
	return d.atts[loanID], nil
}

// The chain over one attestation, worked independently of the code: the
// attestation's stored record written out by hand (keys in byte order,
// "v": 1, empty evidence and verifier), hashed after the 64 zeros of the
// genesis hash.
func TestAttestationChainByHand(t *testing.T) {
	a := appendixAttestations()[0]
	record := `{"accepted_on":"2024-03-15","evidence_sha256":"","id":"att-2023","metric_id":"pet_fdy_energy",` +
		`"seq":1,"v":1,"value":"79","verifier":{"accreditation":"","name":""},"year":2023}`
	if b, err := EncodeAttestation(a); err != nil || string(b) != record {
		t.Fatalf("stored record %s, %v; want %s", b, err, record)
	}
	sum := sha256.Sum256([]byte(strings.Repeat("0", 64) + record))
	want := AttestationChain{Count: 1, ThroughSeq: 1, Chain: hex.EncodeToString(sum[:])}
	got, err := ChainAttestations([]pricing.Attestation{a})
	if err != nil || got != want {
		t.Fatalf("chain %+v, %v; want %+v", got, err, want)
	}
	if c, err := ChainAttestations(nil); err != nil || c != NoAttestations || c.Chain != GenesisHash {
		t.Errorf("empty chain %+v, %v", c, err)
	}
	// Extending is the same as chaining all at once; an attestation that
	// does not follow the last one (equal sequence: the boundary) is refused.
	both, err := ChainAttestations(appendixAttestations())
	if err != nil {
		t.Fatal(err)
	}
	if ext, err := got.Extend(appendixAttestations()[1]); err != nil || ext != both {
		t.Errorf("extended %+v, %v; want %+v", ext, err, both)
	}
	if _, err := got.Extend(a); tfpricing.ErrorCode(err) != tfpricing.EINTERNAL {
		t.Errorf("extending with seq %d after %d: %v", a.Seq, got.ThroughSeq, err)
	}
}

// layout2Decision is attestationDecision with the 2023 attestation
// referenced (layout 2) instead of copied.
func layout2Decision(t testing.TB, seq uint64, prev string) Decision {
	t.Helper()
	d := attestationDecision(t, seq, prev)
	in, err := DecodeLoanInputs(d.Inputs)
	if err != nil {
		t.Fatal(err)
	}
	atts := appendixAttestations()
	earlier, err := ChainAttestations(atts[:1])
	if err != nil {
		t.Fatal(err)
	}
	in.Earlier, in.Attestations = &earlier, atts[1:]
	out, err := DecodeLoanOutputs(d.Outputs)
	if err != nil {
		t.Fatal(err)
	}
	d2, err := in.Decision(DecisionAttestation, out.Schedule, *d.Policy, *d.Catalogue)
	if err != nil {
		t.Fatal(err)
	}
	d2.Seq, d2.Actor, d2.RecordedAt, d2.BusinessDate = seq, d.Actor, d.RecordedAt, d.BusinessDate
	if err := d2.Seal(prev); err != nil {
		t.Fatal(err)
	}
	return d2
}

// A layout-2 decision holds only its own attestation and references the
// earlier one; it replays from the attestations the store gives to the very
// outputs it recorded (layout 2, whose statuses TestLoanOutputsLayout2
// compares with layout 1's). Stored attestations after the
// referenced ones (here the decision's own, seq 2, just past through_seq 1)
// are not part of the reference.
func TestReplayLayout2(t *testing.T) {
	atts := appendixAttestations()
	d := layout2Decision(t, 2, strings.Repeat("e", 64))
	var held struct{ Attestations []json.RawMessage }
	if err := json.Unmarshal(d.Inputs, &held); err != nil || len(held.Attestations) != 1 {
		t.Errorf("%d attestations copied into the inputs (%v), want 1", len(held.Attestations), err)
	}
	if !bytes.Contains(d.Inputs, []byte(`"layout":2`)) || !bytes.Contains(d.Inputs, []byte(`"earlier_attestations":{"chain":"`)) {
		t.Errorf("inputs %s", d.Inputs)
	}
	docs := attDocs{shippedDocs(t), map[string][]pricing.Attestation{"L-00000001": atts}}
	wantMatch(t, d, replay(t, d, docs))
	wantMatch(t, d, replay(t, redecode(t, d), docs))
	cache := NewDocumentCache()
	wantMatch(t, d, replay(t, redecode(t, d), cache.Wrap(docs)))
	// Documents that give no attestations cannot replay it.
	if _, err := Replay(d, shippedDocs(t)); tfpricing.ErrorCode(err) != tfpricing.EUNPROCESSABLE {
		t.Errorf("replay without attestations: %v", err)
	}
}

// A stored attestation altered (79 → 81: the 2023 SPT missed instead of
// met) or missing is reported as a difference of the reference, beside the
// outputs it changes, online and through the per-transaction memo alike.
func TestReplayLayout2AlteredAttestation(t *testing.T) {
	d := layout2Decision(t, 2, strings.Repeat("e", 64))
	altered := appendixAttestations()
	altered[0].Value = dec("81")
	for name, stored := range map[string][]pricing.Attestation{"altered": altered, "missing": altered[1:]} {
		docs := attDocs{shippedDocs(t), map[string][]pricing.Attestation{"L-00000001": stored}}
		for _, via := range []Documents{docs, NewDocumentCache().Wrap(docs)} {
			res := replay(t, d, via)
			got := differencePaths(res)
			if res.Match || got["inputs.earlier_attestations.chain"].Recorded == "" {
				t.Fatalf("%s: %+v", name, res)
			}
			if _, ok := got["schedule.spts[0].outcome"]; !ok {
				t.Errorf("%s: the changed outcome is not reported: %+v", name, res.Differences)
			}
			// The 2023 attestation's status (met → missed, or gone) is
			// kept by digest in layout-2 outputs.
			if dg, ok := got["attestations.digest"]; !ok || dg.Recorded == dg.Replayed {
				t.Errorf("%s: the changed status is not reported: %+v", name, res.Differences)
			}
			count, ok := got["inputs.earlier_attestations.count"]
			if name == "missing" && (!ok || count.Recorded != "1" || count.Replayed != "0") {
				t.Errorf("missing: count difference %+v", count)
			}
			if name == "altered" && ok {
				t.Errorf("altered: count reported %+v", count)
			}
		}
	}
}

// Layout-2 inputs decode strictly: the layout and the reference come
// together, and the attestations held must follow the referenced ones.
func TestLoanInputsLayout2Refusals(t *testing.T) {
	d := layout2Decision(t, 2, strings.Repeat("e", 64))
	var in map[string]json.RawMessage
	if err := json.Unmarshal(d.Inputs, &in); err != nil {
		t.Fatal(err)
	}
	for field, edit := range map[string]func(m map[string]json.RawMessage){
		"layout":               func(m map[string]json.RawMessage) { delete(m, "layout") },
		"earlier_attestations": func(m map[string]json.RawMessage) { delete(m, "earlier_attestations") },
		"attestations[0].seq": func(m map[string]json.RawMessage) {
			m["attestations"] = []byte(strings.Replace(string(m["attestations"]), `"seq":2`, `"seq":1`, 1))
		},
		"earlier_attestations.count": func(m map[string]json.RawMessage) {
			m["earlier_attestations"] = []byte(`{"chain":"` + GenesisHash + `","count":0,"through_seq":1}`)
		},
	} {
		m := map[string]json.RawMessage{}
		for k, v := range in {
			m[k] = v
		}
		edit(m)
		raw, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		_, err = DecodeLoanInputs(raw)
		if e := appErr(t, err, tfpricing.EUNPROCESSABLE); !strings.Contains(fieldsOf(e), field) {
			t.Errorf("%s: %v, fields %s", field, err, fieldsOf(e))
		}
	}
	m := map[string]json.RawMessage{}
	for k, v := range in {
		m[k] = v
	}
	m["layout"] = []byte("3")
	raw, _ := json.Marshal(m)
	if _, err := DecodeLoanInputs(raw); err == nil {
		t.Error("layout 3 decodes")
	}
}
