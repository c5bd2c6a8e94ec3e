package pricing

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"tfpricing"
	"tfpricing/catalog"
)

// The shipped policy carries exactly the figures of DESIGN.md §4.1.
func TestShippedPolicyFigures(t *testing.T) {
	p := shippedPolicy(t)
	if p.Version != "2026.1" || p.EffectiveFrom != day("2026-01-01") || p.QuoteValidityDays != 30 {
		t.Errorf("header %q %s %d", p.Version, p.EffectiveFrom, p.QuoteValidityDays)
	}
	if p.Benchmark != (Benchmark{Short: "LPR1Y", Long: "LPR5Y", LongAboveMonths: 60}) {
		t.Errorf("benchmark %+v", p.Benchmark)
	}
	spreads := map[string]string{"AAA": "20", "AA+": "35", "AA": "50", "AA-": "70", "A+": "95", "A": "120",
		"A-": "150", "BBB+": "185", "BBB": "220"}
	for _, r := range sortedKeys(spreads) {
		if s, ok := p.CreditSpread(r); !ok || !s.Equal(dec(spreads[r])) {
			t.Errorf("spread %s = %s, want %s", r, s, spreads[r])
		}
	}
	if _, ok := p.CreditSpread("BBB-"); ok || len(p.Ratings()) != 9 {
		t.Errorf("BBB- must not be priced; ratings %v", p.Ratings())
	}
	for tier, want := range map[catalog.Tier]string{catalog.Leading: "-30", catalog.Advancing: "-20",
		catalog.Transitioning: "-10"} {
		if a, ok := p.TierAdjustment(tier); !ok || !a.Equal(dec(want)) {
			t.Errorf("tier %s = %s, want %s", tier, a, want)
		}
	}
	if _, ok := p.TierAdjustment(catalog.Ineligible); ok {
		t.Error("ineligible must not be priced")
	}
	// ESG bands: the first band by min_score descending that the score reaches.
	for score, want := range map[int]string{100: "-15", 80: "-15", 79: "-10", 70: "-10", 65: "-10",
		64: "0", 50: "0", 49: "10", 0: "10"} {
		if e := p.ESGAdjustment(score); !e.Equal(dec(want)) {
			t.Errorf("ESG %d = %s, want %s", score, e, want)
		}
	}
	for grade, want := range map[int]string{0: "0", 1: "-10", 2: "-5", 3: "0", 4: "5", 5: "10"} {
		if c := p.CarbonAdjustment(grade); !c.Equal(dec(want)) {
			t.Errorf("carbon grade %d = %s, want %s", grade, c, want)
		}
	}
	r, l := p.Ratchet, p.Limits
	if !r.StepDownBp.Equal(dec("10")) || !r.StepUpBp.Equal(dec("5")) || !r.MaxStepDownBp.Equal(dec("30")) ||
		!r.MaxStepUpBp.Equal(dec("15")) || r.GraceDays != 120 {
		t.Errorf("ratchet %+v", r)
	}
	if !l.MaxTotalDiscountBp.Equal(dec("60")) || FormatRate(l.FloorRate) != "2.2000" || !l.CapOverBenchmarkBp.Equal(dec("400")) {
		t.Errorf("limits %+v", l)
	}
	if p.BenchmarkName(60) != "LPR1Y" || p.BenchmarkName(61) != "LPR5Y" {
		t.Error("60 months must use LPR1Y, 61 LPR5Y")
	}
}

// reformatted is the shipped policy in another layout: JSON-ish flow
// mappings, other key order, bands in another order, quoted numbers and
// "2.2" for "2.2000". It is the same policy, so it has the same digest.
const reformatted = `
quote_validity_days: "30"
limits:
  cap_over_benchmark_bp: 400.0
  floor_rate: 2.2
  max_total_discount_bp: "60"
ratchet: {grace_days: 120, max_step_up_bp: 15, max_step_down_bp: 30, step_up_bp: 5, step_down_bp: 10}
carbon_grade_adjustment_bp: {"5": 10, "4": 5, "3": 0, "2": -5, "1": -10.00}
esg_adjustment_bp: [{bp: 10, min_score: 0}, {bp: 0, min_score: 50}, {bp: -15, min_score: 80}, {bp: -10, min_score: 65}]
tier_adjustment_bp: {transitioning: -10, advancing: -20, leading: -30}
credit_spread_bp: {BBB: 220, BBB+: 185, A-: 150, A: 120, A+: 95, AA-: 70, AA: 50, AA+: 35, AAA: 20}
benchmark: {long_above_months: 60, long: LPR5Y, short: LPR1Y}
effective_from: "2026-01-01"
version: 2026.1
`

func TestPolicyDigestStable(t *testing.T) {
	p := shippedPolicy(t)
	if !strings.HasPrefix(p.Digest, "sha256:") || len(p.Digest) != len("sha256:")+64 {
		t.Fatalf("digest %q", p.Digest)
	}
	again, err := ParsePolicy("canonical", p.Canonical)
	if err != nil {
		t.Fatal(err)
	}
	if again.Digest != p.Digest || !bytes.Equal(again.Canonical, p.Canonical) {
		t.Errorf("canonical round trip changed the digest: %s vs %s", again.Digest, p.Digest)
	}
	other, err := ParsePolicy("reformatted", []byte(reformatted))
	if err != nil {
		t.Fatal(err)
	}
	if other.Digest != p.Digest {
		t.Errorf("reformatting changed the digest:\n%s\n%s", other.Canonical, p.Canonical)
	}
	changed, err := ParsePolicy("changed", []byte(strings.Replace(reformatted, "BBB: 220", "BBB: 221", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if changed.Digest == p.Digest {
		t.Error("a changed figure must change the digest")
	}
	assertCanonical(t, p.Canonical)
}

// assertCanonical checks that b is compact JSON whose object keys are in
// strictly increasing byte order, and whose decimals are strings.
func assertCanonical(t *testing.T, b []byte) {
	t.Helper()
	if bytes.ContainsAny(b, " \n\t") {
		t.Errorf("canonical JSON has whitespace: %s", b)
	}
	type frame struct {
		object, wantKey bool
		last            string
	}
	var stack []frame
	dec := json.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		if n := len(stack); n > 0 && stack[n-1].object && stack[n-1].wantKey {
			if k, ok := tok.(string); ok {
				if stack[n-1].last != "" && k <= stack[n-1].last {
					t.Errorf("key %q after %q", k, stack[n-1].last)
				}
				stack[n-1].last, stack[n-1].wantKey = k, false
				continue
			}
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			stack = append(stack, frame{object: tok == json.Delim('{'), wantKey: true})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
		if n := len(stack); n > 0 && stack[n-1].object {
			stack[n-1].wantKey = true // a value ended; a key comes next
		}
	}
	if !strings.Contains(string(b), `"floor_rate":"2.2"`) || !strings.Contains(string(b), `"AA":"50"`) {
		t.Errorf("decimals must be normalised strings: %s", b)
	}
}

func TestPolicySet(t *testing.T) {
	p := shippedPolicy(t)
	next, err := ParsePolicy("next", []byte(strings.NewReplacer(`version: 2026.1`, `version: "2027.1"`,
		`"2026-01-01"`, `2027-01-01`).Replace(reformatted)))
	if err != nil {
		t.Fatal(err)
	}
	set, err := NewPolicySet(next, p)
	if err != nil {
		t.Fatal(err)
	}
	for d, want := range map[string]string{"2026-01-01": "2026.1", "2026-12-31": "2026.1", "2027-01-01": "2027.1"} {
		if got, ok := set.InForce(day(d)); !ok || got.Version != want {
			t.Errorf("in force on %s: %v, want %s", d, got, want)
		}
	}
	if _, ok := set.InForce(day("2025-12-31")); ok {
		t.Error("no policy is in force before 2026-01-01")
	}
	if v, ok := set.Version("2027.1"); !ok || v != next {
		t.Error("Version lookup")
	}
	if all := set.All(); len(all) != 2 || all[0] != p {
		t.Error("All must be by effective_from")
	}
	if p.Digest == next.Digest {
		t.Fatal("the two documents have one digest")
	}
	for _, want := range []*Policy{p, next} {
		if got, ok := set.ByDigest(want.Digest); !ok || got != want {
			t.Errorf("ByDigest(%s) did not find %s", want.Digest, want.Version)
		}
	}
	if _, ok := set.ByDigest(p.Digest[:len(p.Digest)-1]); ok {
		t.Error("ByDigest found a digest no policy has")
	}
	_, err = NewPolicySet(p, p)
	appErr(t, err, tfpricing.EINVALID)
}

// A bad policy reports every problem at once, each by its path.
func TestParsePolicyInvalid(t *testing.T) {
	doc := `
version: ""
effective_from: 2026-13-01
benchmark: {short: LPR1Y, long: LPR5Y, long_above_months: 0}
credit_spread_bp: {AAA: abc, AA: -5, A: 1e2}
tier_adjustment_bp: {leading: -30, transitioning: -10, ineligible: 0}
esg_adjustment_bp: [{min_score: 80, bp: -15}, {min_score: 80, bp: -10}, {min_score: 101, bp: 0}]
carbon_grade_adjustment_bp: {"1": -10, "2": -5, "3": 0, "4": 5, "6": 10}
ratchet: {step_down_bp: -1, step_up_bp: 5.00001, max_step_down_bp: 30, max_step_up_bp: 15, grace_days: 400}
limits: {max_total_discount_bp: 60, floor_rate: "2.20001", cap_over_benchmark_bp: 400}
surprise: 1
`
	_, err := ParsePolicy("bad.yaml", []byte(doc))
	e := appErr(t, err, tfpricing.EINVALID)
	want := []string{
		"surprise", "quote_validity_days", "version", "effective_from", "benchmark.long_above_months",
		"credit_spread_bp.AAA", "credit_spread_bp.AA", "credit_spread_bp.A",
		"tier_adjustment_bp.ineligible", "tier_adjustment_bp.advancing",
		"esg_adjustment_bp[1].min_score", "esg_adjustment_bp[2].min_score", "esg_adjustment_bp",
		"carbon_grade_adjustment_bp.6", "carbon_grade_adjustment_bp.5",
		"ratchet.step_down_bp", "ratchet.step_up_bp", "ratchet.grace_days", "limits.floor_rate",
	}
	if got := strings.Fields(fieldsOf(e)); !sameSet(got, want) {
		t.Errorf("fields\n got %v\nwant %v", got, want)
	}
	if !strings.Contains(e.Message, "bad.yaml") {
		t.Errorf("message %q should name the document", e.Message)
	}
	// A policy must price some rating; found alongside other problems.
	empty := strings.NewReplacer(`quote_validity_days: "30"`, `quote_validity_days: 0`,
		`credit_spread_bp: {BBB: 220, BBB+: 185, A-: 150, A: 120, A+: 95, AA-: 70, AA: 50, AA+: 35, AAA: 20}`,
		`credit_spread_bp: {}`).Replace(reformatted)
	_, err = ParsePolicy("empty.yaml", []byte(empty))
	if got := fieldsOf(appErr(t, err, tfpricing.EINVALID)); got != "quote_validity_days credit_spread_bp" {
		t.Errorf("fields %q", got)
	}
}
