package audit

import (
	"bytes"
	"encoding/json"
	"testing"

	"tfpricing/pricing/canon"
)

// SealRecord's stored form is the record's canonical bytes, whether its
// parts were known canonical (from a constructor, with the digest taken
// then) or not: a constructed record, the same record with its outputs
// changed in place after construction, and one built by hand with its
// members out of order. The digest must always be of the outputs sealed.
func TestSealRecordStoresCanonicalBytes(t *testing.T) {
	fresh := func() Decision {
		d := quoteDecision(t, 1, GenesisHash)
		d.Hash, d.OutputDigest, d.PrevHash = "", "", ""
		return d
	}
	changed := fresh()
	changed.Outputs[bytes.LastIndex(changed.Outputs, []byte(`"2`))+1] = '3' // a date 2xxx → 3xxx, in place
	byHand := fresh()
	byHand.Inputs = json.RawMessage(` {"terms":` + string(extract(t, byHand.Inputs, "terms")) + `, "plan":` +
		string(extract(t, byHand.Inputs, "plan")) + `,"as_of":"2026-11-27"}`)
	byHand.known = nil
	for name, d := range map[string]Decision{"constructed": fresh(), "changed in place": changed, "by hand": byHand} {
		stored, err := d.SealRecord(GenesisHash)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !bytes.Equal(stored, d.CanonicalBytes()) {
			t.Errorf("%s: stored form is not the canonical bytes", name)
		}
		canonOut, _ := canon.Canonical(d.Outputs)
		if d.OutputDigest != canon.Digest(canonOut) {
			t.Errorf("%s: output digest %s is not that of the outputs sealed", name, d.OutputDigest)
		}
		if err := d.VerifyHash(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if back, err := DecodeDecision(stored); err != nil || back.Hash != d.Hash {
			t.Errorf("%s: stored form does not decode to the record: %v", name, err)
		}
	}
}

// extract returns the value of a top-level key of a JSON object.
func extract(t *testing.T, obj []byte, key string) json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(obj, &m); err != nil || m[key] == nil {
		t.Fatalf("no %s in %s", key, obj)
	}
	return m[key]
}

// forgeCRC returns four bytes that, appended to b, leave its CRC-32C as
// it was (CRC is linear: any checksum can be forced by four appended
// bytes). A record whose outputs grow by them has their checksum but not
// their length.
func forgeCRC(b []byte) []byte {
	var table [256]uint32
	for i := range table {
		c := uint32(i)
		for range 8 {
			if c&1 == 1 {
				c = c>>1 ^ 0x82f63b78
			} else {
				c >>= 1
			}
		}
		table[i] = c
	}
	var byTop [256]int
	for i, c := range table {
		byTop[c>>24] = i
	}
	reg := ^checksum(b) // the register after b, before the final inversion
	want := reg
	idx := make([]int, 4)
	for i, r := 3, want; i >= 0; i-- {
		idx[i] = byTop[r>>24]
		r = (r ^ table[idx[i]]) << 8
	}
	out := make([]byte, 4)
	for i, r := 0, reg; i < 4; i++ {
		out[i] = byte(r) ^ byte(idx[i])
		r = r>>8 ^ table[idx[i]]
	}
	return out
}

// Outputs that keep their checksum but not their length are not trusted
// as known canonical.
func TestKnownCanonicalNeedsTheLength(t *testing.T) {
	d := quoteDecision(t, 1, GenesisHash)
	d.Hash, d.OutputDigest, d.PrevHash = "", "", ""
	grown := append(bytes.Clone(d.Outputs), forgeCRC(d.Outputs)...)
	if checksum(grown) != checksum(d.Outputs) {
		t.Fatal("forgeCRC did not keep the checksum")
	}
	if !d.outputsCanonical() {
		t.Fatal("constructed outputs are not known canonical")
	}
	d.Outputs = grown
	if d.outputsCanonical() {
		t.Error("outputs four bytes longer with the same checksum were trusted")
	}
	if _, err := d.SealRecord(GenesisHash); err == nil {
		t.Error("outputs with four bytes after the object were sealed")
	}
	d = quoteDecision(t, 1, GenesisHash)
	if d.Inputs = append(bytes.Clone(d.Inputs), forgeCRC(d.Inputs)...); d.inputsCanonical() {
		t.Error("inputs four bytes longer with the same checksum were trusted")
	}
}
