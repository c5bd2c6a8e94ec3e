package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
)

// The fast path of the strict reading must never accept a body the
// walker refuses, and what it decodes must equal what the walker's path
// decodes. These tests hold it to the walker itself (the reference), body
// by body, and check that the clean bodies really take the fast path.

const fastQuote = `{"borrower": {"name": "湖州某化纤有限公司", "uscc": "91350100M000100Y43", "industry_code": "C2822",
  "just_transition_score": 72, "obsolete_capacity": false, "credit_rating": "AA", "esg_score": 70,
  "carbon_efficiency_grade": 3},
 "pathway_id": "C28-P01",
 "kpis": [{"metric_id": "pet_fdy_energy", "baseline": {"year": 2025, "value": "88"},
           "targets": [{"year": 2026, "value": "82"}, {"year": 2027, "value": "76"}]}],
 "facility": {"amount": "50000000.00", "currency": "CNY", "start_date": "2026-12-01",
              "tenor_months": 36, "repayment": "equal_principal",
              "payment_frequency": "quarterly", "subsidy": {"rate_bp": "100", "end_date": "2027-12-01"}}}`

// slowDecode is the walker's path: readStrict, then encoding/json's
// Decoder refusing unknown fields.
func slowDecode(body string, dst any) bool {
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	req.Header.Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
	c := echo.New().NewContext(req, httptest.NewRecorder())
	b, err := readStrict(c, dst)
	if err != nil {
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(dst) == nil
}

// fastDecode is decodeFast's test without the request.
func fastDecode(cache *shapes, body string, dst any) bool {
	sh := cache.of(reflect.TypeOf(dst))
	return sh != nil && decodeShape([]byte(body), sh, dst)
}

// sameAsWalker fails t when the fast path accepts what the walker refuses
// or decodes something else; it reports whether the fast path accepted.
func sameAsWalker(t *testing.T, cache *shapes, typ reflect.Type, body string) bool {
	t.Helper()
	fast, slow := reflect.New(typ).Interface(), reflect.New(typ).Interface()
	okFast := fastDecode(cache, body, fast)
	okSlow := slowDecode(body, slow)
	if okFast && !okSlow {
		t.Errorf("%v: fast path accepts what the walker refuses: %q", typ, body)
	}
	if okFast && okSlow && !reflect.DeepEqual(fast, slow) {
		t.Errorf("%v: fast path decodes %+v, walker %+v", typ, fast, slow)
	}
	return okFast
}

func TestShapeFastPathAgreesWithWalker(t *testing.T) {
	cache := &shapes{}
	quote := reflect.TypeOf(quoteRequest{})
	r := func(old, new string) string { return strings.Replace(fastQuote, old, new, 1) }
	clean := []string{
		fastQuote,
		"\t\r\n " + fastQuote + "\n\n",
		r(`"name": "湖州某化纤有限公司"`, `"name": "a\"b\\c\u00e9\n"`), // escapes in a value
		r(`"tenor_months": 36`, `"tenor_months": -0`),
		r(`"obsolete_capacity": false`, `"obsolete_capacity": true, "new_capacity": true`), // strictBool's own UnmarshalJSON
		r(`"obsolete_capacity": false`, `"new_capacity": false`),
		r(`"name": "湖州某化纤有限公司"`, "\"name\": \"bad\xffutf8\""), // encoding/json writes U+FFFD
		r(`"kpis": [{`, `"kpis": [{"metric_id": "x"}, {`),
		r(`"tenor_months": 36`, `"tenor_months":9223372036854775807`), // int's largest
		r(`"kpis": [`, `"kpis":[ `),
		r(`"subsidy": {"rate_bp": "100", "end_date": "2027-12-01"}`, `"subsidy": {}`),
		`{}`,
		`{"kpis": []}`,
	}
	for _, b := range clean {
		if !sameAsWalker(t, cache, quote, b) {
			t.Errorf("a clean body took the walker's path: %q", b)
		}
	}
	refused := []string{
		r(`"tenor_months": 36`, `"tenor_months": 36, "tenor_months": 48`),         // duplicate
		r(`"pathway_id": "C28-P01"`, `"pathway_id": "C28-P01", "pathway_id": ""`), // duplicate at the top
		r(`"tenor_months": 36`, `"tenor_months": 36, "tenor": 36`),                // unknown
		r(`"tenor_months": 36`, `"Tenor_months": 36`),                             // encoding/json would match it; the walker does not
		r(`"tenor_months": 36`, `"tenor_months": null`),
		r(`"borrower": {`, `"borrower": null, "x": {`),
		r(`"amount": "50000000.00"`, `"amount": 50000000`),
		r(`"tenor_months": 36`, `"tenor_months": 36.0`),
		r(`"tenor_months": 36`, `"tenor_months": 3e1`),
		r(`"tenor_months": 36`, `"tenor_months": "36"`),
		r(`"tenor_months": 36`, `"tenor_months": 9223372036854775808`), // one past int's range
		r(`"obsolete_capacity": false`, `"obsolete_capacity": 0`),
		r(`"obsolete_capacity": false`, `"obsolete_capacity": fals`),
		r(`"kpis": [`, `"kpis": {"a": `),
		r(`"pathway_id"`, `"pathway\u005fid"`), // escaped key: the walker's path decides
		fastQuote + ` {}`,
		fastQuote + `x`,
		`[` + fastQuote + `]`,
		`null`,
		`{"kpis": [,]}`,
		`{"kpis": [{},]}`,
		`{"pathway_id": "C28-P01",}`,
		`{"pathway_id" "C28-P01"}`,
		`{"pathway_id": "C28` + "\x01" + `"}`,
		`{"pathway_id": "C28`,
		`{`,
		``,
		strings.Repeat(`{"kpis": [`, 40),
	}
	for _, b := range refused {
		if sameAsWalker(t, cache, quote, b) {
			t.Errorf("the fast path accepted %q", b)
		}
	}
	// Every request DTO gets a plan, and {} agrees with the walker for each.
	for _, v := range []any{attestationRequest{}, eligibilityRequest{}, emissionsRequest{}, bookingRequest{},
		fixingRequest{}, opinionRequest{}, bookSimRequest{}, amendmentRequest{}, declassificationRequest{},
		rejectRequest{}, quoteRequest{}, simulationRequest{}} {
		typ := reflect.TypeOf(v)
		if cache.of(reflect.PointerTo(typ)) == nil {
			t.Logf("%v: no plan (the walker reads it)", typ)
		}
		sameAsWalker(t, cache, typ, `{}`)
	}
}

// The plan refuses what it cannot mirror: a field the walker would accept
// under a name encoding/json reads differently.
func TestShapePlanUnusable(t *testing.T) {
	type untagged struct{ A string }
	type dash struct {
		A string `json:"-"`
	}
	type inner struct {
		B string `json:"b"`
	}
	type embedded struct {
		inner
		C string `json:"c"`
	}
	type floats struct {
		F float64 `json:"f"`
	}
	cache := &shapes{}
	for _, v := range []any{&untagged{}, &dash{}, &embedded{}, &floats{}} {
		if cache.of(reflect.TypeOf(v)) != nil {
			t.Errorf("%T has a plan", v)
		}
	}
	type ok struct {
		M map[string][]int32 `json:"m"`
		U uint32             `json:"u"`
		P *ok                `json:"p,omitempty"`
	}
	if cache.of(reflect.TypeOf(&ok{})) == nil {
		t.Fatal("no plan for a map, a uint and a pointer to itself")
	}
	typ := reflect.TypeOf(ok{})
	for body, want := range map[string]bool{
		`{"m": {"a": [1, -2147483648]}, "u": 4294967295, "p": {"u": 0}}`: true,
		`{"m": {"a": [2147483648]}}`:                                     false, // past int32
		`{"u": 4294967296}`:                                              false, // past uint32
		`{"u": -1}`:                                                      false,
		`{"m": {"a": [1], "a": [2]}}`:                                    false, // duplicate map key
		`{"p": {"p": {"p": null}}}`:                                      false,
	} {
		if got := sameAsWalker(t, cache, typ, body); got != want {
			t.Errorf("%s: fast path %v, want %v", body, got, want)
		}
	}
}

// FuzzShapeFastPath holds the fast path to the walker on arbitrary bodies.
func FuzzShapeFastPath(f *testing.F) {
	f.Add(fastQuote)
	f.Add(`{"kpis": [{"metric_id": "x", "targets": [{"year": 1, "value": "2"}]}]}`)
	f.Add(`{"facility": {"tenor_months": 1e3}}`)
	cache := &shapes{}
	typ := reflect.TypeOf(quoteRequest{})
	f.Fuzz(func(t *testing.T, body string) {
		sameAsWalker(t, cache, typ, body)
	})
}
