package api

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// shapeOK checks JSON syntax itself (decodeShape no longer runs
// json.Valid after it), so it must never accept a body json.Valid
// refuses. Hand-picked bodies at each rule's edge, then random mutations
// of the sample quote weighted to the bytes where syntax can go wrong.

func TestShapeOKSyntaxMatchesValid(t *testing.T) {
	cache := &shapes{}
	sh := cache.of(reflect.TypeOf(&quoteRequest{}))
	r := func(old, new string) string { return strings.Replace(fastQuote, old, new, 1) }
	cases := []struct {
		body string
		ok   bool // what json.Valid (and so shapeOK) says
	}{
		{r(`"tenor_months": 36`, `"tenor_months": 0`), true},
		{r(`"tenor_months": 36`, `"tenor_months": -0`), true},
		{r(`"tenor_months": 36`, `"tenor_months": 10`), true}, // a zero after the first digit
		{r(`"tenor_months": 36`, `"tenor_months": 036`), false},
		{r(`"tenor_months": 36`, `"tenor_months": -036`), false},
		{r(`"tenor_months": 36`, `"tenor_months": 00`), false},
		{r(`"tenor_months": 36`, `"tenor_months": -`), false},
		{r(`"name": "湖州某化纤有限公司"`, `"name": "\"\\\/\b\f\n\r\t"`), true},
		{r(`"name": "湖州某化纤有限公司"`, `"name": "\u00e9\uABCD\uabcd\u0000"`), true},
		{r(`"name": "湖州某化纤有限公司"`, `"name": "\q"`), false},
		{r(`"name": "湖州某化纤有限公司"`, `"name": "\U00e9"`), false},
		{r(`"name": "湖州某化纤有限公司"`, `"name": "\u00g9"`), false},
		{r(`"name": "湖州某化纤有限公司"`, `"name": "\u00e"`), false},
		{r(`"name": "湖州某化纤有限公司"`, `"name": "\u00`), false},
		{r(`"name": "湖州某化纤有限公司"`, `"name": "\`), false},
		{r(`"name": "湖州某化纤有限公司"`, `"name": "x\\"`), true},
	}
	for _, c := range cases {
		if v := json.Valid([]byte(c.body)); v != c.ok {
			t.Fatalf("json.Valid(%q) = %v: the case is wrong", c.body, v)
		}
		if got := shapeOK([]byte(c.body), sh); got != c.ok {
			t.Errorf("shapeOK(%q) = %v, json.Valid says %v", c.body, got, c.ok)
		}
		sameAsWalker(t, cache, reflect.TypeOf(quoteRequest{}), c.body)
	}

	rng := rand.New(rand.NewPCG(18, 10))
	alphabet := []byte(`\"u0123456789aAfFgG-+.eE{}[],: ` + "\x00\x1f\xff")
	accepted := 0
	for range 20000 {
		b := []byte(fastQuote)
		for range 1 + rng.IntN(3) {
			i := rng.IntN(len(b) + 1)
			c := alphabet[rng.IntN(len(alphabet))]
			switch rng.IntN(3) {
			case 0: // insert
				b = append(b[:i], append([]byte{c}, b[i:]...)...)
			case 1: // replace
				if i < len(b) {
					b[i] = c
				}
			default: // delete
				if i < len(b) {
					b = append(b[:i], b[i+1:]...)
				}
			}
		}
		if shapeOK(b, sh) {
			accepted++
			if !json.Valid(b) {
				t.Fatalf("shapeOK accepts what json.Valid refuses: %q", b)
			}
		}
	}
	if accepted < 1000 {
		t.Errorf("only %d of 20,000 mutations accepted: the test is not reaching the clean path", accepted)
	}
}
