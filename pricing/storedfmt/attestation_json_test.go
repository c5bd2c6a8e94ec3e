package storedfmt

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"

	"tfpricing/pricing"
)

// AppendJSON is json.Marshal's bytes of any attestation record: real ones
// from random attestations (strings JSON or HTML escapes, unicode, invalid
// UTF-8, zero and large values, unset dates) and raw JSON that is not
// canonical (whitespace, unsorted keys, U+2028 as is), empty, nil or not
// JSON at all (an error either way).
func TestAttestationJSONMatchesMarshal(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 18))
	raws := []string{"", `{ "a": 1 }`, `{"b":1,"a":2}`, "{\"a\":\"\u2028\"}", `{"a":"<b>"}`, `[1]`, `{"a":`, `nul`}
	for i := range 5000 {
		a := pricing.Attestation{ID: randomText(r), Seq: r.Uint64() >> r.IntN(64), MetricID: randomText(r),
			Year: 2026 - r.IntN(3)*3000, Value: []decimal.Decimal{{}, decimal.New(80, 0), decimal.New(-12345, -3),
				decimal.RequireFromString("123456789012345678901234567890.5")}[r.IntN(4)],
			AcceptedOn: randomDate(r), VerifierName: randomText(r), VerifierAccreditation: randomText(r), EvidenceSHA256: randomText(r)}
		rec, err := NewAttestation(randomText(r), a)
		if err != nil {
			t.Fatal(err)
		}
		rec.V = []int{V2, 0, -1}[r.IntN(3)]
		switch r.IntN(8) {
		case 0:
			rec.Attestation = json.RawMessage(raws[r.IntN(len(raws))])
		case 1:
			rec.Attestation = nil
		}
		want, wantErr := json.Marshal(rec)
		got, err := rec.AppendJSON([]byte("x"))
		if (err != nil) != (wantErr != nil) {
			t.Fatalf("record %d: error %v, json.Marshal's %v", i, err, wantErr)
		}
		if err == nil && !bytes.Equal(got, append([]byte("x"), want...)) {
			t.Fatalf("record %d:\n got %s\nwant x%s", i, got, want)
		}
	}
}
