package audit

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"

	"tfpricing/pricing/canon"
)

// The hand-written envelope is canon.Marshal's record, whatever its fields
// hold, and its room for the hash is exactly where the hash member goes.
func TestDecisionAppendMatchesMarshal(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 8))
	objects := []string{`{}`, `{"a":1}`, `{"as_of":"2026-11-27","plan":{"kpis":[1,2]},"z":null}`, `{"q":"\"x\\u2028"}`}
	for range 5000 {
		var rec decisionRecord
		v := reflect.ValueOf(&rec).Elem()
		for i := range v.NumField() {
			if f := v.Type().Field(i); f.Name != "Inputs" && f.Name != "Outputs" {
				fillRandom(r, v.Field(i), 0)
			}
		}
		rec.Inputs = json.RawMessage(objects[r.IntN(len(objects))])
		rec.Outputs = json.RawMessage(objects[r.IntN(len(objects))])
		want, err := canon.Marshal(rec)
		if err != nil {
			t.Fatal(err)
		}
		got, at := rec.appendJSON([]byte("x"), false)
		if !bytes.Equal(got[1:], want) {
			t.Fatalf("envelope:\n got %s\nwant %s", got[1:], want)
		}
		if !bytes.HasPrefix(got[at:], []byte(`"inputs":`)) || got[at-1] != ',' {
			t.Fatalf("inputs at %d: %s", at, got[at:])
		}
		if rec.Hash != "" {
			continue
		}
		// With room: the record with its hash member, that hash being the
		// room's 64 zeros.
		rec.Hash = GenesisHash
		withHash, err := canon.Marshal(rec)
		if err != nil {
			t.Fatal(err)
		}
		rec.Hash = ""
		if roomy, at2 := rec.appendJSON(nil, true); !bytes.Equal(roomy, withHash) || at2 != at-1 {
			t.Fatalf("with room at %d (want %d):\n got %s\nwant %s", at2, at-1, roomy, withHash)
		}
	}
}
