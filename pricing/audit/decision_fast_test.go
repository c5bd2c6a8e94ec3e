package audit

import (
	"bytes"
	"strings"
	"testing"

	"tfpricing/pricing/canon"
)

// The fast decode of a sealed record must give exactly what the full decode
// gives, for every kind of record.
func TestDecodeSealedMatchesFullDecode(t *testing.T) {
	for _, d := range chainOf(t, 4) {
		b := d.CanonicalBytes()
		fast, ok := decodeSealed(b)
		if !ok {
			t.Fatalf("%s: a sealed record missed the fast path", d.Kind)
		}
		full, err := decodeDoc("decision", b, func(rec decisionRecord, r *recReader) Decision { return rec.decision(r) },
			func(d Decision) ([]byte, error) { return d.assemble(d.Inputs, d.Outputs, true) })
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(fast.CanonicalBytes(), full.CanonicalBytes()) || !bytes.Equal(fast.Inputs, full.Inputs) ||
			!bytes.Equal(fast.Outputs, full.Outputs) || fast.Hash != full.Hash || fast.Actor != full.Actor ||
			!fast.RecordedAt.Equal(full.RecordedAt) || fast.BusinessDate != full.BusinessDate || len(fast.Fixings) != len(full.Fixings) {
			t.Errorf("%s: fast decode %+v\nfull decode %+v", d.Kind, fast, full)
		}
	}
}

// Whatever the fast path cannot vouch for goes to the full decode, which
// refuses or canonicalises it as before: malformed JSON inside the inputs
// or outputs (the round trip splices them back unread), keys out of
// order, whitespace, trailing bytes.
func TestDecodeSealedDeclines(t *testing.T) {
	b := string(attestationDecision(t, 7, strings.Repeat("c", 64)).CanonicalBytes())
	refused := map[string][2]string{
		"broken outputs": {`"outputs":{"changes":`, `"outputs":{"changes":,`},
		"broken inputs":  {`"inputs":{"as_of":`, `"inputs":{"as_of"`},
		"trailing bytes": {`"v":1}`, `"v":1}}`},
	}
	for name, e := range refused {
		edited := strings.Replace(b, e[0], e[1], 1)
		if edited == b {
			t.Fatalf("%s: %s not in the record", name, e[0])
		}
		if _, ok := decodeSealed([]byte(edited)); ok {
			t.Errorf("%s: fast path accepted it", name)
		}
		if _, err := DecodeDecision([]byte(edited)); err == nil {
			t.Errorf("%s: decoded", name)
		}
	}
	// Equivalent but not laid out as sealed: declined by the fast path,
	// decoded by the full one to the canonical record.
	for name, edited := range map[string]string{
		"whitespace":    strings.Replace(b, `"kind":`, ` "kind" : `, 1),
		"keys reversed": strings.Replace(b, `"seq":7,"v":1`, `"v":1,"seq":7`, 1),
	} {
		if _, ok := decodeSealed([]byte(edited)); ok {
			t.Errorf("%s: fast path accepted a record not laid out as sealed", name)
		}
		d, err := DecodeDecision([]byte(edited))
		if err != nil || string(d.CanonicalBytes()) != b {
			t.Errorf("%s: full decode gave %v", name, err)
		}
	}
}

// Inputs or outputs that are valid JSON but not canonical (whitespace, keys
// out of order, a duplicate key) must not be trusted as canonical: the fast
// path declines them, and the full decode canonicalises or refuses them.
func TestDecodeSealedRequiresCanonicalParts(t *testing.T) {
	b := string(attestationDecision(t, 7, strings.Repeat("c", 64)).CanonicalBytes())
	for name, e := range map[string][2]string{
		"whitespace in inputs": {`"inputs":{"as_of":`, `"inputs":{ "as_of":`},
		"keys out of order":    {`"inputs":{"as_of":`, `"inputs":{"zz":1,"as_of":`},
		"duplicate key":        {`"outputs":{"changes":`, `"outputs":{"zz":1,"zz":2,"changes":`},
	} {
		edited := strings.Replace(b, e[0], e[1], 1)
		if edited == b {
			t.Fatalf("%s: %s not in the record", name, e[0])
		}
		if _, ok := decodeSealed([]byte(edited)); ok {
			t.Errorf("%s: the fast path trusted non-canonical parts", name)
		}
		if d, err := DecodeDecision([]byte(edited)); err == nil && (!canon.IsCanonical(d.Inputs) || !canon.IsCanonical(d.Outputs)) {
			t.Errorf("%s: decoded with non-canonical parts", name)
		}
	}
}

// An event set by hand, with its keys out of order, is canonicalised by
// Encode, so the sealed record still verifies.
func TestLoanInputsEncodeCanonicalisesEvent(t *testing.T) {
	d := attestationDecision(t, 7, strings.Repeat("c", 64))
	in, err := DecodeLoanInputs(d.Inputs)
	if err != nil {
		t.Fatal(err)
	}
	in.Event = []byte(`{"z":1, "a":"x"}`)
	raw, err := in.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if !canon.IsCanonical(raw) || !bytes.Contains(raw, []byte(`"event":{"a":"x","z":1}`)) {
		t.Fatalf("inputs with a hand-set event: %s", raw)
	}
}
