package api

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// The eligibility request's hand-written fast path (decodeBody) must say
// yes exactly where the generic fast path (decodeShape) does, decode the
// same value, and that value must be the walker's. Every body below is
// run through all three.

const standardElig = `{"borrower":{"name":"湖州某化纤有限公司","uscc":"91350100M000100Y43","industry_code":"C2822","just_transition_score":72,"obsolete_capacity":false},"pathway_id":"C28-P01","kpis":[{"metric_id":"pet_fdy_energy","baseline":{"year":2025,"value":"88"},"targets":[{"year":2026,"value":"82"},{"year":2027,"value":"78"}]},{"metric_id":"carbon_intensity","baseline":{"year":2025,"value":"1.6"},"targets":[{"year":2026,"value":"1.5"}]}]}`

// sampleElig is the api_test package's sampleEligibility.
const sampleElig = `{"borrower": {"name": "湖州某化纤有限公司", "uscc": "91350100M000100Y43", "industry_code": "C2822",
  "just_transition_score": 72, "obsolete_capacity": false},
 "pathway_id": "C28-P01",
 "kpis": [{"metric_id": "pet_fdy_energy", "baseline": {"year": 2025, "value": "88"},
           "targets": [{"year": 2026, "value": "82"}, {"year": 2027, "value": "76"}]}],
 "as_of": "2026-11-27"}`

const fullElig = `{"borrower": {"name": "湖州某化纤有限公司", "uscc": "91350100M000100Y43", "industry_code": "C2822",
  "just_transition_score": 72, "obsolete_capacity": true, "new_capacity": false},
 "pathway_id": "C28-P01", "as_of": "2026-11-27",
 "kpis": [{"metric_id": "custom_x", "name": "名称 x", "unit": "t/t", "direction": "lower_is_better",
           "baseline": {"year": 2025, "value": "88"}, "step_down_bp": "5", "step_up_bp": "7.5",
           "targets": [{"year": 2026, "value": "82"}, {"year": 2027, "value": "76"}]}]}`

// agreeElig runs body through the three paths and fails t where they
// disagree; it reports whether the hand-written path accepted.
func agreeElig(t *testing.T, cache *shapes, body string) bool {
	t.Helper()
	var hand, generic, walker eligibilityRequest
	okHand := hand.decodeBody([]byte(body))
	okGeneric := fastDecode(cache, body, &generic)
	if okHand != okGeneric {
		t.Fatalf("decodeBody says %v, decodeShape %v: %q", okHand, okGeneric, body)
	}
	if !okHand {
		return false
	}
	if !reflect.DeepEqual(hand, generic) {
		t.Fatalf("decodeBody decodes %+v, decodeShape %+v: %q", hand, generic, body)
	}
	if !slowDecode(body, &walker) || !reflect.DeepEqual(hand, walker) {
		t.Fatalf("decodeBody accepts %q as %+v; the walker's path says %+v", body, hand, walker)
	}
	return true
}

func TestEligibilityDecodeAgrees(t *testing.T) {
	cache := &shapes{}
	r := func(old, new string) string {
		if !strings.Contains(fullElig, old) {
			t.Fatalf("%q not in the body", old)
		}
		return strings.Replace(fullElig, old, new, 1)
	}
	score := func(v string) string { return r(`"just_transition_score": 72`, `"just_transition_score": `+v) }
	year := func(v string) string { return r(`"year": 2025`, `"year": `+v) }
	clean := []string{
		fullElig, standardElig, sampleElig, `{}`, `{"kpis": []}`, `{"borrower": {}}`,
		" \t\r\n" + fullElig + "\n ",
		r(`"name": "湖州某化纤有限公司"`, `"name": "a\"b\\c\/\u00e9\ud83d\ude00\ud800\n\t\b\f\r"`), // escapes
		r(`"name": "湖州某化纤有限公司"`, "\"name\": \"bad\xffutf8\xe6\x88\""),                     // U+FFFD
		r(`"unit": "t/t"`, `"unit": "<&>`+"\u2028"+`"`),
		r(`"name": "湖州某化纤有限公司"`, `"name": ""`),
		r(`"targets": [{`, `"targets": [ {`),
		r(`"targets": [{"year": 2026, "value": "82"}, {"year": 2027, "value": "76"}]`, `"targets": []`),
		r(`"kpis": [{`, `"kpis": [{}, {"metric_id": "a"}, {`),
		r(`"new_capacity": false`, `"new_capacity": true`),
		score("0"), score("-0"), score("-1"), score("10"), score("100"), score("999999999999999999"),
		score("9223372036854775807"), score("-9223372036854775808"), score("1000000000000000000"),
		score("-999999999999999999"), score("0000000000000000001"[18:]),
		year("2025 "), year("-2025"),
	}
	for _, b := range clean {
		if !agreeElig(t, cache, b) {
			t.Errorf("a clean body was refused: %q", b)
		}
	}
	refused := []string{
		score("9223372036854775808"), score("-9223372036854775809"), score("99999999999999999999"),
		score("01"), score("-01"), score("00"), score("-"), score("1.0"), score("1e2"), score("1E2"),
		score("+1"), score(`"72"`), score("null"), score("true"), score("7 2"),
		year("2025.5"), year(`"2025"`), year("null"),
		r(`"obsolete_capacity": true`, `"obsolete_capacity": 1`),
		r(`"obsolete_capacity": true`, `"obsolete_capacity": tru`),
		r(`"obsolete_capacity": true`, `"obsolete_capacity": truex`),
		r(`"new_capacity": false`, `"new_capacity": null`),
		r(`"new_capacity": false`, `"new_capacity": "false"`),
		r(`"borrower": {`, `"borrower": {"uscc": "x", `), // duplicates at every level
		r(`"pathway_id": "C28-P01"`, `"pathway_id": "C28-P01", "pathway_id": "x"`),
		r(`"as_of": "2026-11-27"`, `"as_of": "2026-11-27", "as_of": "2026-11-27"`),
		r(`"kpis": [`, `"kpis": [], "kpis": [`),
		r(`"borrower": {`, `"borrower": {}, "borrower": {`),
		r(`"unit": "t/t"`, `"unit": "t/t", "unit": "t"`),
		r(`"step_up_bp": "7.5"`, `"step_up_bp": "7.5", "step_up_bp": "7.5"`),
		r(`"baseline": {`, `"baseline": {"year": 1, `),
		r(`"new_capacity": false`, `"new_capacity": false, "new_capacity": false`),
		r(`"targets": [`, `"targets": [], "targets": [`),
		r(`"as_of"`, `"asof"`), r(`"uscc"`, `"USCC"`), r(`"unit"`, `"units"`), // unknown members
		r(`"value": "88"`, `"value": "88", "extra": 1`),
		r(`"pathway_id"`, `"pathway\u005fid"`), // an escaped key: the walker decides
		r(`"borrower": {`, `"borrower": null, "x": {`),
		r(`"baseline": {`, `"baseline": null, "x": {`),
		r(`"step_up_bp": "7.5"`, `"step_up_bp": null`),
		r(`"kpis": [`, `"kpis": null, "x": [`),
		r(`"targets": [`, `"targets": {"a": `),
		r(`"value": "88"`, `"value": 88`),
		r(`"name": "湖州某化纤有限公司"`, `"name": "\q"`),
		r(`"name": "湖州某化纤有限公司"`, `"name": "\u00g9"`),
		r(`"name": "湖州某化纤有限公司"`, "\"name\": \"a\x01\""),
		r(`"name": "湖州某化纤有限公司"`, `"name": "湖州`),
		fullElig + ` {}`, fullElig + `x`, `[` + fullElig + `]`, `null`, ``, `{`, `{"kpis": [,]}`,
		`{"kpis": [{},]}`, `{"pathway_id": "x",}`, `{"pathway_id" "x"}`, `{"pathway_id": "x" "as_of": ""}`,
		`{"kpis": [{}}`, `{"kpis": [{}]`, `{"borrower": {"name": "x"]}`,
	}
	for _, b := range refused {
		if agreeElig(t, cache, b) {
			t.Errorf("decodeBody accepted %q", b)
		}
	}

	// Random mutations of the bodies, weighted to the bytes where syntax
	// and types can go wrong.
	rng := rand.New(rand.NewPCG(18, 11))
	alphabet := []byte(`\"u0123456789aAfFnul-+.eE{}[],: ` + "\x00\x1f\xff\xe6")
	accepted := 0
	for n := range 30000 {
		b := []byte([]string{fullElig, standardElig}[n%2])
		for range 1 + rng.IntN(3) {
			i := rng.IntN(len(b) + 1)
			c := alphabet[rng.IntN(len(alphabet))]
			switch rng.IntN(3) {
			case 0:
				b = append(b[:i], append([]byte{c}, b[i:]...)...)
			case 1:
				if i < len(b) {
					b[i] = c
				}
			default:
				if i < len(b) {
					b = append(b[:i], b[i+1:]...)
				}
			}
		}
		if agreeElig(t, cache, string(b)) {
			accepted++
		}
	}
	if accepted < 3000 {
		t.Errorf("only %d of 30,000 mutations accepted: the test is not reaching the clean path", accepted)
	}
}

// Random requests with every field of every DTO filled (by reflection, so
// a field added to a DTO and not to decodeBody fails here), written by
// encoding/json in its own order and again with the keys sorted and
// indented.
func TestEligibilityDecodeEveryField(t *testing.T) {
	cache := &shapes{}
	rng := rand.New(rand.NewPCG(18, 12))
	for range 2000 {
		var req eligibilityRequest
		fillRandom(rng, reflect.ValueOf(&req).Elem())
		b, err := json.Marshal(req)
		if err != nil {
			t.Fatal(err)
		}
		if !agreeElig(t, cache, string(b)) {
			t.Fatalf("refused %s", b)
		}
		var m any
		d := json.NewDecoder(bytes.NewReader(b))
		d.UseNumber()
		if err := d.Decode(&m); err != nil {
			t.Fatal(err)
		}
		sorted, _ := json.MarshalIndent(m, "", "\t")
		if !agreeElig(t, cache, string(sorted)) {
			t.Fatalf("refused %s", sorted)
		}
	}
}

var randomTexts = []string{"", "x", "C28-P01", "湖州某化纤", "a\"b", `back\slash`, "tab\tnl\n", "\x01", "<&>", "\u2028",
	"\xff", "é", "😀", "2026-11-27", "88.5", strings.Repeat("长", 70)}

// fillRandom sets every field of v (pointers allocated, slices of 0–3
// elements, integers at their limits too).
func fillRandom(rng *rand.Rand, v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fillRandom(rng, v.Elem())
	case reflect.Struct:
		for i := range v.NumField() {
			fillRandom(rng, v.Field(i))
		}
	case reflect.Slice:
		n := rng.IntN(4)
		v.Set(reflect.MakeSlice(v.Type(), n, n))
		for i := range n {
			fillRandom(rng, v.Index(i))
		}
	case reflect.String:
		v.SetString(randomTexts[rng.IntN(len(randomTexts))])
	case reflect.Bool:
		v.SetBool(rng.IntN(2) == 1)
	case reflect.Int:
		v.SetInt([]int64{0, 1, -1, 72, 2025, math.MaxInt64, math.MinInt64, rng.Int64(), -rng.Int64N(1e6)}[rng.IntN(9)])
	default:
		panic("fillRandom: " + v.Kind().String() + " " + strconv.Quote(v.Type().String()))
	}
}

// FuzzEligibilityDecode holds the hand-written path to decodeShape and the
// walker on arbitrary bodies.
func FuzzEligibilityDecode(f *testing.F) {
	f.Add(fullElig)
	f.Add(standardElig)
	f.Add(`{"borrower": {"just_transition_score": 9223372036854775808}}`)
	cache := &shapes{}
	f.Fuzz(func(t *testing.T, body string) {
		agreeElig(t, cache, body)
	})
}
