package audit

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"tfpricing/pricing"
	"tfpricing/pricing/canon"
)

// FuzzDecodeDecision feeds real records, damaged ones and junk to the
// strict decoder. Whatever it is given it must not panic; whatever it
// accepts must re-encode to a record it accepts again, byte for byte, and
// must survive hash verification, chain verification and replay without a
// panic. Run longer with
//
//	go test -run '^$' -fuzz FuzzDecodeDecision -fuzztime 60s ./pricing/
func FuzzDecodeDecision(f *testing.F) {
	docs := shippedDocs(f)
	real := [][]byte{
		quoteDecision(f, 1, GenesisHash).CanonicalBytes(),
		attestationDecision(f, 2, strings.Repeat("e", 64)).CanonicalBytes(),
		policyLoad(f, shippedPolicy(f), 3, strings.Repeat("f", 64)).CanonicalBytes(),
	}
	for _, b := range real {
		f.Add(b)
		f.Add(b[:len(b)/2])                                                     // truncated
		f.Add(bytes.Replace(b, []byte(`"v":1`), []byte(`"v":1,"v":1`), 1))      // duplicate key
		f.Add(bytes.Replace(b, []byte(`"seq":`), []byte(`"seq":1e`), 1))        // malformed number
		f.Add(bytes.Replace(b, []byte(`"inputs":{`), []byte(`"inputs":[{`), 1)) // unbalanced
		f.Add(bytes.Replace(b, []byte(`"79"`), []byte(`"81"`), 1))              // tampered, still decodes
	}
	for _, s := range []string{``, `{}`, `null`, `[]`, `{"v":1}`, `"decision"`, strings.Repeat(`{"a":`, 300),
		`{"v":1,"seq":18446744073709551615,"kind":"quote"}`, "{\"v\":1,\"kind\":\"\xff\"}",
		`{"v":1,"seq":1,"kind":"sweep","actor":{"key_id":"","role":"","request_id":""},` +
			`"recorded_at":"2026-01-01T00:00:00Z","inputs":{},"outputs":{},"engine_version":"x",` +
			`"output_digest":"sha256:` + strings.Repeat("0", 64) + `","prev_hash":"` + GenesisHash +
			`","hash":"` + GenesisHash + `"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := DecodeDecision(data)
		if err != nil {
			return
		}
		b := d.CanonicalBytes()
		if b == nil {
			t.Fatalf("a decoded record has no canonical form: %q", data)
		}
		again, err := DecodeDecision(b)
		if err != nil {
			t.Fatalf("the canonical form of an accepted record is refused: %v\n%s", err, b)
		}
		if !bytes.Equal(again.CanonicalBytes(), b) {
			t.Fatalf("decode/encode is not stable:\n%s\n%s", b, again.CanonicalBytes())
		}
		_ = d.VerifyHash()
		v := ResumeChainVerifier(ChainHead{Seq: d.Seq - 1, Hash: d.PrevHash})
		v.Add(d)
		_ = v.Report()
		if res, err := Replay(d, docs); err == nil && res.Match && d.VerifyHash() != nil {
			t.Fatalf("replay matched a record that fails its hash")
		}
	})
}

// FuzzCanonical checks the canonicaliser against encoding/json: whatever it
// accepts is valid JSON meaning the same as its input, and is its own
// canonical form; whatever encoding/json refuses, it refuses too.
func FuzzCanonical(f *testing.F) {
	for _, s := range []string{`{"b":1,"a":[true,null,"x"]}`, `"\u00e9\ud83d\ude00"`, `[1.5e3,-0]`, `{"a":{"a":{}}}`,
		"\"\u2028\"", `{"a":1,"a":2}`, `"\ud800"`, " [ ] ", `{"<":"&"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := canon.Canonical(data)
		if err != nil {
			return
		}
		if !json.Valid(data) || !json.Valid(c) {
			t.Fatalf("accepted invalid JSON %q → %q", data, c)
		}
		again, err := canon.Canonical(c)
		if err != nil || !bytes.Equal(again, c) {
			t.Fatalf("not a fixed point: %q → %q → %q (%v)", data, c, again, err)
		}
		var a, b any
		da, db := json.NewDecoder(bytes.NewReader(data)), json.NewDecoder(bytes.NewReader(c))
		da.UseNumber()
		db.UseNumber()
		if da.Decode(&a) != nil || db.Decode(&b) != nil || !reflect.DeepEqual(a, b) {
			t.Fatalf("canonical form means something else: %q → %q", data, c)
		}
	})
}

// FuzzDecodeLoanInputs: the inputs replay decodes must be refused or
// accepted cleanly, and accepted ones must compute without a panic.
func FuzzDecodeLoanInputs(f *testing.F) {
	p, c := shippedPolicy(f), shippedCurve(f)
	d := attestationDecision(f, 2, strings.Repeat("e", 64))
	f.Add([]byte(d.Inputs))
	f.Add(bytes.Replace(d.Inputs, []byte(`"tenor_months":36`), []byte(`"tenor_months":600`), 1))
	f.Add(bytes.Replace(d.Inputs, []byte(`"payment_frequency_months":3`), []byte(`"payment_frequency_months":0`), 1))
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := DecodeLoanInputs(data)
		if err != nil {
			return
		}
		raw, err := in.Encode()
		if err != nil || !bytes.Equal(raw, mustCanonicalBytes(t, data)) {
			t.Fatalf("accepted inputs do not re-encode to themselves: %v", err)
		}
		_, _ = pricing.Compute(pricing.Input{Terms: in.Terms, Policy: p, Curve: c, Attestations: in.Attestations, AsOf: in.AsOf})
	})
}

func mustCanonicalBytes(t *testing.T, data []byte) []byte {
	t.Helper()
	b, err := canon.Canonical(data)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
