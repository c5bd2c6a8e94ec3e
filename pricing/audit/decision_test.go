package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"tfpricing"
	"tfpricing/catalog"
	"tfpricing/pricing"
)

func TestSealAndVerifyHash(t *testing.T) {
	d := quoteDecision(t, 1, GenesisHash)
	if d.PrevHash != GenesisHash || !isHexHash(d.Hash) || !isDigest(d.OutputDigest) {
		t.Fatalf("sealed record: prev %s hash %s digest %s", d.PrevHash, d.Hash, d.OutputDigest)
	}
	if err := d.VerifyHash(); err != nil {
		t.Fatal(err)
	}
	// The documented construction, recomputed by hand.
	if sum := sha256.Sum256(d.Outputs); d.OutputDigest != "sha256:"+hex.EncodeToString(sum[:]) {
		t.Error("output_digest is not sha256 over the canonical outputs")
	}
	unhashed := d
	unhashed.Hash = ""
	sum := sha256.Sum256(append([]byte(d.PrevHash), unhashed.CanonicalBytes()...))
	if d.Hash != hex.EncodeToString(sum[:]) {
		t.Error("hash is not sha256(prev_hash || canonical record without hash)")
	}
	if bytes.Contains(unhashed.CanonicalBytes(), []byte(`"hash"`)) {
		t.Error("the hashed text contains a hash key")
	}

	// Every field is covered by the hash.
	tamper := []func(*Decision){
		func(d *Decision) { d.Seq++ },
		func(d *Decision) { d.Kind = DecisionBooking },
		func(d *Decision) { d.LoanID = "L-1" },
		func(d *Decision) { d.QuoteID = "Q-2" },
		func(d *Decision) { d.Actor.KeyID = "someone-else" },
		func(d *Decision) { d.Actor.RequestID = "req-2" },
		func(d *Decision) { d.RecordedAt = d.RecordedAt.Add(time.Nanosecond) },
		func(d *Decision) { d.BusinessDate = d.BusinessDate.AddDays(1) },
		func(d *Decision) { d.AsOf = d.AsOf.AddDays(-1) },
		func(d *Decision) { d.Inputs = bytes.Replace(d.Inputs, []byte(`"88"`), []byte(`"87"`), 1) },
		func(d *Decision) { d.Catalogue = &catalog.Ref{ID: "x", Version: "1", Digest: d.Catalogue.Digest} },
		func(d *Decision) { d.Policy = nil },
		func(d *Decision) { d.Fixings = d.Fixings[:0] },
		func(d *Decision) {
			d.Fixings = []pricing.Fixing{{EffectiveDate: day("2025-05-20"), OneYear: dec("3.01"), FiveYear: dec("3.5")}}
		},
		func(d *Decision) { d.EngineVersion = "tfpricing-engine/9" },
		func(d *Decision) { d.Outputs = bytes.Replace(d.Outputs, []byte(`"3.3000"`), []byte(`"3.2000"`), 1) },
		func(d *Decision) { d.OutputDigest = "sha256:" + strings.Repeat("0", 64) },
		func(d *Decision) { d.PrevHash = strings.Repeat("1", 64) },
		func(d *Decision) { d.Hash = strings.Repeat("2", 64) },
	}
	for i, f := range tamper {
		c := d
		c.Fixings = append([]pricing.Fixing(nil), d.Fixings...)
		c.Inputs, c.Outputs = bytes.Clone(d.Inputs), bytes.Clone(d.Outputs)
		f(&c)
		if err := c.VerifyHash(); err == nil {
			t.Errorf("tamper %d: VerifyHash passed", i)
		} else {
			appErr(t, err, tfpricing.EUNPROCESSABLE)
		}
	}
}

func TestSealRefusals(t *testing.T) {
	good := quoteDecision(t, 2, strings.Repeat("a", 64))
	cases := map[string]func(*Decision) string{
		"seq 0":                 func(d *Decision) string { d.Seq = 0; return strings.Repeat("a", 64) },
		"first after non-zero":  func(d *Decision) string { d.Seq = 1; return strings.Repeat("a", 64) },
		"later after genesis":   func(d *Decision) string { return GenesisHash },
		"upper-case prev":       func(d *Decision) string { return strings.Repeat("A", 64) },
		"short prev":            func(d *Decision) string { return "abc" },
		"unknown kind":          func(d *Decision) string { d.Kind = "guess"; return strings.Repeat("a", 64) },
		"no time":               func(d *Decision) string { d.RecordedAt = time.Time{}; return strings.Repeat("a", 64) },
		"no engine":             func(d *Decision) string { d.EngineVersion = ""; return strings.Repeat("a", 64) },
		"inputs not json":       func(d *Decision) string { d.Inputs = json.RawMessage(`{"a":`); return strings.Repeat("a", 64) },
		"inputs not an object":  func(d *Decision) string { d.Inputs = json.RawMessage(`[1]`); return strings.Repeat("a", 64) },
		"outputs missing":       func(d *Decision) string { d.Outputs = nil; return strings.Repeat("a", 64) },
		"outputs duplicate key": func(d *Decision) string { d.Outputs = json.RawMessage(`{"a":1,"a":2}`); return strings.Repeat("a", 64) },
	}
	for name, f := range cases {
		t.Run(name, func(t *testing.T) {
			d := good
			prev := f(&d)
			appErr(t, d.Seal(prev), tfpricing.EINTERNAL)
		})
	}
}

// Inputs and outputs are hashed in canonical form: the same content written
// differently seals to the same hash, in a record stored canonically.
func TestSealCanonicalises(t *testing.T) {
	d := policyLoad(t, shippedPolicy(t), 1, GenesisHash)
	loose := d
	loose.Inputs = json.RawMessage("{\n  \"version\": \"2026.1\",\n  \"digest\": \"" + d.Policy.Digest + "\"\n}")
	loose.RecordedAt = d.RecordedAt.In(time.FixedZone("CST", 8*3600))
	if err := loose.Seal(GenesisHash); err != nil {
		t.Fatal(err)
	}
	if loose.Hash != d.Hash || !bytes.Equal(loose.CanonicalBytes(), d.CanonicalBytes()) {
		t.Errorf("same content, different records:\n%s\n%s", loose.CanonicalBytes(), d.CanonicalBytes())
	}
}

func TestDecisionRoundTrip(t *testing.T) {
	for _, d := range []Decision{quoteDecision(t, 1, GenesisHash), attestationDecision(t, 7, strings.Repeat("c", 64)),
		policyLoad(t, shippedPolicy(t), 3, strings.Repeat("d", 64))} {
		b := d.CanonicalBytes()
		got, err := DecodeDecision(b)
		if err != nil {
			t.Fatalf("%s: %v", d.Kind, err)
		}
		if !bytes.Equal(got.CanonicalBytes(), b) || got.Hash != d.Hash || !got.RecordedAt.Equal(d.RecordedAt) ||
			got.Actor != d.Actor || len(got.Fixings) != len(d.Fixings) || !bytes.Equal(got.Inputs, d.Inputs) {
			t.Errorf("%s: decoded record differs", d.Kind)
		}
		if err := got.VerifyHash(); err != nil {
			t.Errorf("%s: decoded record fails its hash: %v", d.Kind, err)
		}
	}
}

// The stored layout: the top-level keys, sorted, with inputs and outputs
// embedded as JSON and the timestamp in RFC 3339 UTC.
func TestDecisionLayout(t *testing.T) {
	d := attestationDecision(t, 7, strings.Repeat("c", 64))
	var top map[string]json.RawMessage
	if err := json.Unmarshal(d.CanonicalBytes(), &top); err != nil {
		t.Fatal(err)
	}
	want := []string{"actor", "as_of", "business_date", "catalogue", "engine_version", "fixings", "hash", "inputs",
		"kind", "loan_id", "output_digest", "outputs", "policy", "prev_hash", "recorded_at", "seq", "v"}
	if got := sortedKeys(top); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("keys %v\nwant %v", got, want)
	}
	for key, val := range map[string]string{"recorded_at": `"2026-11-27T01:02:03.456Z"`, "v": `1`, "seq": `7`,
		"kind": `"attestation"`, "engine_version": `"tfpricing-engine/2"`, "loan_id": `"L-00000001"`,
		"actor": `{"key_id":"tfp-dev-verifier","request_id":"req-0001","role":"verifier"}`} {
		if string(top[key]) != val {
			t.Errorf("%s = %s, want %s", key, top[key], val)
		}
	}
	if top["inputs"][0] != '{' || top["outputs"][0] != '{' {
		t.Error("inputs and outputs must be embedded JSON objects, not strings")
	}
	var in map[string]json.RawMessage
	_ = json.Unmarshal(top["inputs"], &in)
	if got := strings.Join(sortedKeys(in), " "); got != "as_of attestations event loan_id previous_rates terms" {
		t.Errorf("loan inputs keys: %s", got)
	}
	var out map[string]json.RawMessage
	_ = json.Unmarshal(top["outputs"], &out)
	if got := strings.Join(sortedKeys(out), " "); got != "changes schedule" {
		t.Errorf("loan outputs keys: %s", got)
	}
}

func TestDecodeDecisionRefusals(t *testing.T) {
	b := string(policyLoad(t, shippedPolicy(t), 1, GenesisHash).CanonicalBytes())
	edits := map[string][2]string{
		"non-UTC timestamp":  {`"recorded_at":"2026-11-27T01:02:04.456Z"`, `"recorded_at":"2026-11-27T09:02:04.456+08:00"`},
		"date timestamp":     {`"recorded_at":"2026-11-27T01:02:04.456Z"`, `"recorded_at":"2026-11-27"`},
		"unknown kind":       {`"kind":"policy_load"`, `"kind":"policy_reload"`},
		"seq 0":              {`"seq":1`, `"seq":0`},
		"negative seq":       {`"seq":1`, `"seq":-1`},
		"fractional seq":     {`"seq":1`, `"seq":1.0`},
		"inputs as string":   {`"inputs":{`, `"inputs":"{`},
		"upper-case hash":    {`"prev_hash":"0000`, `"prev_hash":"000A`},
		"extra key":          {`"seq":1`, `"seq":1,"note":"x"`},
		"bad fixing":         {`"policy":{`, `"fixings":[{"effective_date":"2025-05-20","five_year":"x","one_year":"3.0000"}],"policy":{`},
		"version 0":          {`"v":1`, `"v":0`},
		"nested v in policy": {`"policy":{`, `"policy":{"v":1,`},
	}
	for name, e := range edits {
		if !strings.Contains(b, e[0]) {
			t.Fatalf("%s: %s not in %s", name, e[0], b)
		}
		if _, err := DecodeDecision([]byte(strings.Replace(b, e[0], e[1], 1))); err == nil {
			t.Errorf("%s: decoded", name)
		} else {
			appErr(t, err, tfpricing.EUNPROCESSABLE)
		}
	}
	// A record without its hash decodes only to fail the hash check.
	noHash := []byte(strings.Replace(b, `"hash":"`, `"hash_":"`, 1))
	if _, err := DecodeDecision(noHash); err == nil {
		t.Error("record with a renamed hash key decoded")
	}
}

func TestDiffRates(t *testing.T) {
	p, c := shippedPolicy(t), shippedCurve(t)
	atts := appendixAttestations()
	before, _ := pricing.Compute(pricing.Input{Terms: appendixTerms(), Policy: p, Curve: c, Attestations: atts[:1], AsOf: day("2025-02-28")})
	after, _ := pricing.Compute(pricing.Input{Terms: appendixTerms(), Policy: p, Curve: c, Attestations: atts, AsOf: day("2025-03-01")})
	got := DiffRates(before, after)
	// 2024 missed from 2025-03-01: periods 8-12 go from -30 to -15 bp.
	if len(got) != 5 || got[0].Period != 8 || got[0].Start != day("2025-04-01") || got[0].OldRate.String() != "3.65" ||
		got[0].NewRate.String() != "3.8" || got[4].Period != 12 {
		t.Errorf("changes %+v", got)
	}
	if ch := DiffRates(pricing.Schedule{}, after); len(ch) != 0 {
		t.Errorf("a booking (no previous schedule) has changes %+v", ch)
	}
	if ch := DiffRates(after, after); len(ch) != 0 {
		t.Errorf("identical schedules have changes %+v", ch)
	}
	if ch := diffPeriodRates(PeriodRates(before)[7:], after); len(ch) != 5 || ch[0].Period != 8 {
		t.Errorf("periods are matched by number: %+v", ch)
	}
}

func TestDecisionKinds(t *testing.T) {
	for _, k := range []DecisionKind{DecisionQuote, DecisionBooking, DecisionAttestation, DecisionCorrection,
		DecisionRepricing, DecisionSweep, DecisionCatalogueLoad, DecisionPolicyLoad, DecisionSimulation} {
		if !k.Valid() {
			t.Errorf("%s not valid", k)
		}
	}
	if DecisionKind("").Valid() || DecisionKind("Quote").Valid() || DecisionQuote.IsLoan() || !DecisionSweep.IsLoan() {
		t.Error("kind classification")
	}
	if _, err := (LoanInputs{}).Decision(DecisionQuote, pricing.Schedule{}, pricing.PolicyRef{}, catalog.Ref{}); err == nil {
		t.Error("a loan decision of kind quote was built")
	}
}

// The inputs replay decodes round-trip exactly, and carry what the brief
// of each kind says: a quote's terms without tier, a loan's with it.
func TestInputsRoundTrip(t *testing.T) {
	q := NewQuoteInputs(quotePlan(), richTerms(), day("2026-11-27"))
	raw, err := q.Encode()
	if err != nil {
		t.Fatal(err)
	}
	back, err := DecodeQuoteInputs(raw)
	if again, _ := back.Encode(); err != nil || !bytes.Equal(again, raw) || back.Terms.Tier != "" || back.AsOf != q.AsOf {
		t.Errorf("quote inputs: %v\n%s\n%s", err, raw, again)
	}
	withTier := bytes.Replace(raw, []byte(`"terms":{`), []byte(`"terms":{"tier":"leading",`), 1)
	_, err = DecodeQuoteInputs(withTier)
	if e := appErr(t, err, tfpricing.EUNPROCESSABLE); fieldsOf(e) != "terms.tier" {
		t.Errorf("tier in quote inputs reported at %q", fieldsOf(e))
	}

	s, _ := pricing.Compute(appendixInput(t))
	l, err := NewLoanInputs("L-1", appendixTerms(), appendixAttestations(), day("2026-11-27"),
		map[string]any{"due_passed": []string{"pet_fdy_energy 2025"}}, s)
	if err != nil {
		t.Fatal(err)
	}
	raw, err = l.Encode()
	if err != nil {
		t.Fatal(err)
	}
	lb, err := DecodeLoanInputs(raw)
	if again, _ := lb.Encode(); err != nil || !bytes.Equal(again, raw) || lb.Terms.Tier != catalog.Transitioning ||
		len(lb.Attestations) != 2 || lb.Attestations[1].Seq != 2 || len(lb.PreviousRates) != 12 ||
		string(lb.Event) != `{"due_passed":["pet_fdy_energy 2025"]}` {
		t.Errorf("loan inputs: %v\n%s", err, raw)
	}
	if _, err := NewLoanInputs("L-1", appendixTerms(), nil, day("2026-11-27"), []int{1}, pricing.Schedule{}); err == nil {
		t.Error("an event that is not an object was accepted")
	}
}
