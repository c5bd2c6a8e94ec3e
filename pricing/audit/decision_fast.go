package audit

import (
	"bytes"

	"tfpricing/pricing/canon"
)

// Replaying 100,000 decisions spent 40 % of its time in DecodeDecision:
// canonicalising the whole stored record and then running encoding/json
// over it twice (the Decoder's scan and the decode proper), although
// nearly all of its bytes are the inputs and outputs, which the envelope
// only carries. A record stored as sealed is laid out canonically, so its
// top-level members can be located by scanning (sealedMember, as the
// chain verifier's scanSealed does), the
// small envelope decoded on its own with the two big members as null, and
// the round trip — re-encoding the decoded record and requiring exactly
// the stored bytes — proves the result is what the full decode would
// give. Anything that does not fit takes the full decode, which says what
// is wrong.

// splitSealed walks every top-level member of a record laid out as sealed
// and returns the envelope (the record with the values of "inputs" and
// "outputs" replaced by null) and those two values, as slices of b (the
// envelope is a new slice).
func splitSealed(b []byte) (env, inputs, outputs []byte, ok bool) {
	if len(b) < 2 || b[0] != '{' || b[len(b)-1] != '}' {
		return nil, nil, nil, false
	}
	var inSpan, outSpan [2]int
	for pos, k := 1, 0; ; {
		i, start, end, ok := sealedMember(b, pos, k)
		if !ok {
			return nil, nil, nil, false
		}
		switch sealedKeys[i].name {
		case "inputs":
			inSpan = [2]int{start, end}
		case "outputs":
			outSpan = [2]int{start, end}
		}
		if b[end] == '}' {
			if end != len(b)-1 || sealedKeys[i].name != "v" || outSpan[1] == 0 || inSpan[1] == 0 {
				return nil, nil, nil, false
			}
			break
		}
		if b[end] != ',' {
			return nil, nil, nil, false
		}
		pos, k = end+1, i+1
	}
	env = make([]byte, 0, len(b)-(inSpan[1]-inSpan[0])-(outSpan[1]-outSpan[0])+8)
	env = append(append(env, b[:inSpan[0]]...), "null"...)
	env = append(append(env, b[inSpan[1]:outSpan[0]]...), "null"...)
	env = append(env, b[outSpan[1]:]...)
	return env, b[inSpan[0]:inSpan[1]], b[outSpan[0]:outSpan[1]], true
}

// decodeSealed is DecodeDecision's fast path; ok is false when the record
// must take the full decode.
func decodeSealed(data []byte) (Decision, bool) {
	env, inputs, outputs, ok := splitSealed(data)
	// The round trip below splices inputs and outputs back as they are, so
	// it cannot see what is inside them: require them to be canonical here
	// (one pass, no allocation), as the full decode's canonicalisation
	// would — they are then trusted as canonical by replay and sealing.
	if !ok || !canon.IsCanonical(inputs) || !canon.IsCanonical(outputs) {
		return Decision{}, false
	}
	var rec decisionRecord
	if err := decodeJSONStrict(env, &rec); err != nil || rec.V != recordVersion {
		return Decision{}, false
	}
	rec.Inputs, rec.Outputs = bytes.Clone(inputs), bytes.Clone(outputs)
	r := &recReader{what: "decision"}
	d := rec.decision(r)
	if len(r.fields) > 0 {
		return Decision{}, false
	}
	again, err := d.assemble(d.Inputs, d.Outputs, true)
	if err != nil || !bytes.Equal(again, data) {
		return Decision{}, false
	}
	return d, true
}
