package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"tfpricing"
	"tfpricing/pricing"
)

// Loan outputs layout 2 (issue 18): a layout-2 decision's outputs are the
// layout-1 decision's, except that the schedule's attestation statuses are
// kept as their count, the SHA-256 of the very array layout 1 stores under
// "schedule.attestations" (hashed here from the layout-1 record's own
// bytes, not by the code under test), and the status of the one
// attestation the event introduced (seq 2). LoanStatuses recovers the full
// list from the store.
func TestLoanOutputsLayout2(t *testing.T) {
	prev := strings.Repeat("e", 64)
	d1, d2 := attestationDecision(t, 2, prev), layout2Decision(t, 2, prev)
	var rec1 struct {
		Schedule struct{ Attestations json.RawMessage }
	}
	if err := json.Unmarshal(d1.Outputs, &rec1); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(rec1.Schedule.Attestations)
	var rec2 struct {
		Attestations struct {
			Count      int
			Digest     string
			Introduced []struct{ Seq uint64 }
		}
		Layout   int
		Schedule struct{ Attestations []json.RawMessage }
	}
	if err := json.Unmarshal(d2.Outputs, &rec2); err != nil {
		t.Fatal(err)
	}
	a := rec2.Attestations
	if rec2.Layout != 2 || a.Count != 2 || a.Digest != hex.EncodeToString(sum[:]) || len(a.Introduced) != 1 ||
		a.Introduced[0].Seq != 2 || rec2.Schedule.Attestations == nil || len(rec2.Schedule.Attestations) != 0 {
		t.Fatalf("layout-2 outputs %s", d2.Outputs)
	}
	out1, err := DecodeLoanOutputs(d1.Outputs)
	if err != nil {
		t.Fatal(err)
	}
	out2, err := DecodeLoanOutputs(d2.Outputs)
	if err != nil {
		t.Fatal(err)
	}
	if out1.Statuses != nil || out2.Statuses == nil {
		t.Fatalf("statuses by digest: layout 1 %v, layout 2 %v", out1.Statuses, out2.Statuses)
	}
	docs := attDocs{shippedDocs(t), map[string][]pricing.Attestation{"L-00000001": appendixAttestations()}}
	pol, curve, err := pricingReferences(d2, docs)
	if err != nil {
		t.Fatal(err)
	}
	got, err := LoanStatuses(d2, out2, docs, pol, curve)
	if err != nil || !reflect.DeepEqual(got, out1.Schedule.Attestations) {
		t.Fatalf("LoanStatuses = %+v, %v; want %+v", got, err, out1.Schedule.Attestations)
	}
	if got, err := LoanStatuses(d1, out1, nil, nil, pricing.Curve{}); err != nil || !reflect.DeepEqual(got, out1.Schedule.Attestations) {
		t.Errorf("layout 1: %+v, %v", got, err)
	}
	// Everything but the statuses is layout 1's.
	out2.Schedule.Attestations = out1.Schedule.Attestations
	if !reflect.DeepEqual(out1.Schedule, out2.Schedule) || !reflect.DeepEqual(out1.Changes, out2.Changes) {
		t.Error("the layout changed the schedule")
	}
	// A stored attestation altered after the decision: the statuses no
	// longer match the digest, and the reader says so.
	altered := appendixAttestations()
	altered[0].Value = dec("81")
	docs.atts["L-00000001"] = altered
	if _, err := LoanStatuses(d2, out2, docs, pol, curve); tfpricing.ErrorCode(err) != tfpricing.EINTERNAL ||
		!strings.Contains(err.Error(), "outputs.attestations.digest") {
		t.Errorf("altered: %v", err)
	}
}

// Layout-2 outputs decode strictly: layout and digest come together, the
// digest is a hash, the count covers the introduced statuses, and the
// schedule holds no statuses of its own.
func TestLoanOutputsLayout2Refusals(t *testing.T) {
	d := layout2Decision(t, 2, strings.Repeat("e", 64))
	var in map[string]json.RawMessage
	if err := json.Unmarshal(d.Outputs, &in); err != nil {
		t.Fatal(err)
	}
	att := string(in["attestations"])
	for field, edit := range map[string]func(m map[string]json.RawMessage){
		"layout":       func(m map[string]json.RawMessage) { delete(m, "layout") },
		"attestations": func(m map[string]json.RawMessage) { delete(m, "attestations") },
		"attestations.digest": func(m map[string]json.RawMessage) {
			m["attestations"] = []byte(strings.Replace(att, `"digest":"`, `"digest":"X`, 1))
		},
		// Boundary: count 1 equals the one introduced status and is
		// accepted (below); 0 is fewer.
		"attestations.count": func(m map[string]json.RawMessage) {
			m["attestations"] = []byte(strings.Replace(att, `"count":2`, `"count":0`, 1))
		},
		"schedule.attestations": func(m map[string]json.RawMessage) {
			m["schedule"] = bytes.Replace(m["schedule"], []byte(`"attestations":[]`),
				[]byte(`"attestations":[{"id":"A-1","metric_id":"m","seq":1,"status":"late","year":2023}]`), 1)
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
		_, err = DecodeLoanOutputs(raw)
		if e := appErr(t, err, tfpricing.EUNPROCESSABLE); !strings.Contains(fieldsOf(e), field) {
			t.Errorf("%s: %v, fields %s", field, err, fieldsOf(e))
		}
	}
	m := map[string]json.RawMessage{}
	for k, v := range in {
		m[k] = v
	}
	m["attestations"] = []byte(strings.Replace(att, `"count":2`, `"count":1`, 1))
	raw, _ := json.Marshal(m)
	if _, err := DecodeLoanOutputs(raw); err != nil {
		t.Errorf("count equal to the introduced statuses: %v", err)
	}
}

// The status digest's hand-written encoding is canon.Marshal's, byte for
// byte, on the edges of its fast path: characters 0x1f/0x20 and 0x7e/0x7f,
// a quote, a backslash, HTML characters (not escaped canonically), U+2028,
// non-ASCII text, and the fields left out when empty.
func TestStatusesDigestIsCanonical(t *testing.T) {
	base := pricing.AttestationStatus{ID: "A-00000001", Seq: 1, MetricID: "pet_fdy_energy", Year: 2023,
		AcceptedOn: tfpricing.NewDate(2024, 3, 15), Status: pricing.OnTime, Outcome: pricing.Met}
	var list []pricing.AttestationStatus
	for i, m := range []string{"a\x1fb", "a b", "a~b", "a\x7fb", "a\u00e9b", `a"b`, `a\b`, "<a&b>", "a\u2028b", "能耗", ""} {
		st := base
		st.Seq, st.MetricID = uint64(i+2), m
		if i%3 == 0 {
			st.Outcome = ""
		}
		if i%4 == 1 {
			st.AcceptedOn = tfpricing.Date{}
		}
		list = append(list, st)
		recs := make([]attestationStatusRecord, len(list))
		for j, a := range list {
			recs[j] = newAttestationStatusRecord(a)
		}
		raw, err := json.Marshal(recs)
		if err != nil {
			t.Fatal(err)
		}
		// json.Marshal escapes <, > and & where canon.Marshal does not.
		raw = bytes.ReplaceAll(bytes.ReplaceAll(bytes.ReplaceAll(raw, []byte(`\u003c`), []byte("<")),
			[]byte(`\u003e`), []byte(">")), []byte(`\u0026`), []byte("&"))
		sum := sha256.Sum256(raw)
		if got := statusesDigest(list); got != hex.EncodeToString(sum[:]) {
			t.Errorf("with %q: digest %s, want %s of %s", m, got, hex.EncodeToString(sum[:]), raw)
		}
	}
	empty := sha256.Sum256([]byte("[]"))
	if statusesDigest(nil) != hex.EncodeToString(empty[:]) {
		t.Error("no statuses")
	}
	// A history longer than statusChunk (hashed in pieces), with dates of
	// every width the hand-written date covers: years 999 (written 0999),
	// 1000 and 9999, one-digit months and days.
	list = nil
	for i := range 400 {
		st := base
		st.Seq = uint64(i + 1)
		st.AcceptedOn = []tfpricing.Date{tfpricing.NewDate(999, 1, 2), tfpricing.NewDate(1000, 10, 31), tfpricing.NewDate(9999, 12, 9),
			{}, tfpricing.NewDate(2026, 2, 28)}[i%5]
		list = append(list, st)
	}
	recs := make([]attestationStatusRecord, len(list))
	for j, a := range list {
		recs[j] = newAttestationStatusRecord(a)
	}
	raw, _ := json.Marshal(recs)
	if len(raw) <= 2*statusChunk || !bytes.Contains(raw, []byte(`"accepted_on":"0999-01-02"`)) {
		t.Fatalf("%d bytes: not long enough, or the year not written as assumed", len(raw))
	}
	if sum := sha256.Sum256(raw); statusesDigest(list) != hex.EncodeToString(sum[:]) {
		t.Errorf("long history: digest %s, want %s", statusesDigest(list), hex.EncodeToString(sum[:]))
	}
}
