package loanbook

import (
	"bytes"
	"math/rand/v2"
	"testing"
	"unicode/utf8"

	"tfpricing/pricing"
	"tfpricing/pricing/audit"
	"tfpricing/pricing/canon"
)

// The hand-written event is canon.Canonical of the map the decision's
// event was before (its canonical form, for strings that are not valid
// UTF-8), for any attestation id, metric, status and year —
// strings with characters JSON escapes, HTML characters (which canonical
// JSON leaves as they are), Chinese, U+2028 and invalid UTF-8; years of
// either sign.
func TestAttestationEventCanonical(t *testing.T) {
	strs := []string{"", "A-00000001", "pet_fdy_energy", `q"uote\back`, "tab\tnl\nctl\x01", "<&>", "湖州",
		"\u2028\u2029", "bad\xffutf8", "emoji😀"}
	r := rand.New(rand.NewPCG(6, 18))
	str := func() string { return strs[r.IntN(len(strs))] }
	for range 5000 {
		kind := []audit.DecisionKind{audit.DecisionAttestation, audit.DecisionCorrection}[r.IntN(2)]
		a := pricing.Attestation{ID: str(), MetricID: str(), Year: []int{0, 2026, -1, 1 << 40}[r.IntN(4)]}
		status := pricing.Timeliness(str())
		want, err := canon.Canonical(map[string]any{"event": string(kind), "attestation_id": a.ID, "metric_id": a.MetricID,
			"year": a.Year, "status": string(status)})
		if err != nil {
			t.Fatal(err)
		}
		got := attestationEvent(kind, a, status)
		valid := utf8.ValidString(a.ID + a.MetricID + string(status))
		if c, err := canon.Canonical(got); err != nil || !bytes.Equal(c, want) || (valid && !bytes.Equal(got, want)) {
			t.Fatalf("\n got %s\nwant %s (%v)", got, want, err)
		}
		// The inputs take it as it is, as they took the map.
		in, err := audit.NewLoanInputsFromRates("L-1", pricing.Terms{}, nil, pricing.Attestation{}.AcceptedOn, got, nil)
		if err != nil || !bytes.Equal(in.Event, want) {
			t.Fatalf("inputs' event %s: %v", in.Event, err)
		}
	}
}
