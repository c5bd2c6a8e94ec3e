package pgstore

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"testing"
	"time"

	"tfpricing/pricing/storedfmt"
)

// The hand-written idempotency record is json.Marshal's bytes for any
// record: strings JSON or HTML escapes (and U+2028, invalid UTF-8),
// times in UTC or another zone (one json.Marshal refuses), with or without fractions, beyond year
// 9999 (an error either way), verbatim responses, large sequences.
func TestIdempotencyJSONMatchesMarshal(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 14))
	strs := []string{"", "att:L-00000001:k", "a3f5", `q"uote\back`, "tab\tnl\nctl\x01", "<&>", "湖州", "\u2028\u2029",
		"bad\xffutf8", "emoji😀"}
	str := func() string { return strs[r.IntN(len(strs))] }
	shanghai := time.FixedZone("CST", 8*3600)
	far := time.FixedZone("X", 25*3600) // json.Marshal refuses an offset of 24 hours or more
	for i := range 5000 {
		created := time.Date(2026+r.IntN(3)*4000, time.Month(1+r.IntN(12)), 1+r.IntN(28), r.IntN(24), r.IntN(60), r.IntN(60),
			[]int{0, 500_000_000, 123_456_789, 1}[r.IntN(4)], time.UTC)
		switch r.IntN(6) {
		case 0:
			created = created.In(shanghai)
		case 2:
			created = created.In(far)
		case 1:
			created = time.Time{}
		}
		rec := idempotencyRecord{V: []int{2, 0}[r.IntN(2)], Key: str(), Scope: str(), RequestHash: str(), CreatedAt: created,
			Result: storedfmt.AttestationRef{LoanID: str(), AttestationSeq: r.Uint64() >> r.IntN(64), DecisionSeq: r.Uint64() >> r.IntN(64),
				Status: str(), Outcome: str(), SPTOutcome: str()}}
		if r.IntN(6) == 0 {
			rec.Verbatim = json.RawMessage([]string{`{"a": "<b>"}`, `{}`, ``}[r.IntN(3)])
		}
		want, wantErr := json.Marshal(rec)
		got, err := rec.appendJSON([]byte("x"))
		if (err != nil) != (wantErr != nil) {
			t.Fatalf("record %d: error %v, json.Marshal's %v", i, err, wantErr)
		}
		if err == nil && !bytes.Equal(got, append([]byte("x"), want...)) {
			t.Fatalf("record %d:\n got %s\nwant x%s", i, got, want)
		}
		// marshal writes the same bytes for it and for a stored attestation.
		if m, err := marshal(rec); err == nil && !bytes.Equal(m, want) {
			t.Fatalf("marshal: %s", m)
		}
	}
	a := storedfmt.Attestation{V: 2, LoanID: "L-1", Attestation: json.RawMessage(`{"id":"A-1"}`)}
	if m, err := marshal(a); err != nil || string(m) != `{"v":2,"loan_id":"L-1","attestation":{"id":"A-1"}}` {
		t.Fatalf("%s %v", m, err)
	}
}
