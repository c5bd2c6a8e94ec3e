package canon

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

func mustCanonical(t testing.TB, v any) string {
	t.Helper()
	b, err := Canonical(v)
	if err != nil {
		t.Fatalf("Canonical(%v): %v", v, err)
	}
	return string(b)
}

func TestCanonicalForms(t *testing.T) {
	cases := []struct{ in, want string }{
		{`{"b":1,"a":2}`, `{"a":2,"b":1}`},
		{" {\n\t\"z\" : [ 1 , 2 ] ,\r\n \"a\" : { \"y\" : true , \"x\" : null } } ", `{"a":{"x":null,"y":true},"z":[1,2]}`},
		// Byte order, not locale: upper case before lower, "a" before "a_b" before "ab".
		{`{"b":0,"B":0,"ab":0,"a_b":0,"a":0}`, `{"B":0,"a":0,"a_b":0,"ab":0,"b":0}`},
		{`{"html":"<a href=\"x\">&amp;</a>"}`, `{"html":"<a href=\"x\">&amp;</a>"}`},
		{`{"html":"\u003cb\u003e\u0026"}`, `{"html":"<b>&"}`},
		{`{"名称":"湖州市转型金融支持目录","单位":"tCO2/万元"}`, `{"单位":"tCO2/万元","名称":"湖州市转型金融支持目录"}`},
		{`["\u6e56\u5dde","\u00e9","\ud83d\ude00"]`, `["湖州","é","😀"]`},
		{`["\/","\b\f\n\r\t","\u0001\u001f","\u007f"]`, "[\"/\",\"\\b\\f\\n\\r\\t\",\"\\u0001\\u001f\",\"\x7f\"]"},
		{`["\u2028\u2029"]`, `["\u2028\u2029"]`},
		{"[\"a\u2028b\u2029c\"]", `["a\u2028b\u2029c"]`}, // raw separators get escaped too
		{`[1.0,1E2,-0,0.5e-7,12345678901234567890123]`, `[1.0,1E2,-0,0.5e-7,12345678901234567890123]`},
		{`{}`, `{}`}, {`[]`, `[]`}, {`[{},[]]`, `[{},[]]`}, {`"x"`, `"x"`}, {`null`, `null`},
	}
	for _, c := range cases {
		if got := mustCanonical(t, json.RawMessage(c.in)); got != c.want {
			t.Errorf("Canonical(%s)\n got %s\nwant %s", c.in, got, c.want)
		}
		// Idempotent: the canonical form is its own canonical form.
		if again := mustCanonical(t, []byte(c.want)); again != c.want {
			t.Errorf("Canonical(%s) = %s, not a fixed point", c.want, again)
		}
	}
}

func TestCanonicalRefusals(t *testing.T) {
	for _, in := range []string{
		``, ` `, `{`, `{"a":1,}`, `[1,]`, `{"a" 1}`, `{a:1}`, `{"a":1}{}`, `{"a":1} x`, `01`, `1.`, `.5`, `-`, `1e`,
		`+1`, `tru`, `nul`, `"abc`, `"\x"`, `"\u12"`, "\"a\x01b\"", `{"a":1,"a":2}`, `{"a":{"b":1,"b":1}}`,
		`{"\u0061":1,"a":2}`, `"\ud800"`, `"\udc00x"`, `"\ud800\u0041"`, "\"\xff\"", "{\"\xc3\":1}",
		strings.Repeat("[", maxCanonDepth+1) + strings.Repeat("]", maxCanonDepth+1),
	} {
		if b, err := Canonical(json.RawMessage(in)); err == nil {
			t.Errorf("Canonical(%q) = %s, want an error", in, b)
		}
	}
	deep := strings.Repeat("[", maxCanonDepth) + strings.Repeat("]", maxCanonDepth)
	if _, err := Canonical(json.RawMessage(deep)); err != nil {
		t.Errorf("nesting of exactly %d levels refused: %v", maxCanonDepth, err)
	}
}

// A struct and the same JSON written by hand in another order canonicalise
// alike, with HTML and Chinese text untouched.
func TestCanonicalStruct(t *testing.T) {
	type inner struct {
		Z string `json:"z"`
		A int    `json:"a"`
	}
	v := struct {
		Name  string  `json:"name"`
		Inner inner   `json:"inner"`
		List  []inner `json:"list"`
	}{Name: "<湖州 & Co>", Inner: inner{Z: "z", A: 1}, List: []inner{{"b", 2}}}
	want := `{"inner":{"a":1,"z":"z"},"list":[{"a":2,"z":"b"}],"name":"<湖州 & Co>"}`
	if got := mustCanonical(t, v); got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
	raw := `{ "name" : "\u003c湖州 \u0026 Co\u003e", "list":[{"z":"b","a":2}], "inner":{"z":"z","a":1} }`
	if got := mustCanonical(t, json.RawMessage(raw)); got != want {
		t.Errorf("raw: got %s\nwant %s", got, want)
	}
}

// AppendString writes strings exactly as encoding/json does with HTML
// escaping off, so canonicalising a document encoding/json wrote is a no-op.
func TestAppendJSONStringMatchesEncodingJSON(t *testing.T) {
	var samples []string
	for r := rune(0); r < 0x3100; r++ {
		samples = append(samples, "a"+string(r)+"b")
	}
	samples = append(samples, "\xff", "a\xc3", "\xed\xa0\x80", "😀", "\u2028x\u2029", "", `"\`)
	// Every three-byte rune (U+0800–U+FFFF, the surrogates' bytes among
	// them) at the very end of a string and before ASCII, and cut short
	// by one and two bytes at the end: the copy of a three-byte sequence
	// checks its bounds (i+2 < len) and continuation bytes.
	for r := rune(0x800); r <= 0xffff; r++ {
		b := utf8.AppendRune(nil, r)
		if utf16.IsSurrogate(r) {
			b = []byte{0xe0 | byte(r>>12), 0x80 | byte(r>>6)&0x3f, 0x80 | byte(r)&0x3f}
		}
		samples = append(samples, "湖"+string(b), string(b)+"a", "x"+string(b[:2]), string(b[:1]))
	}
	// Random bytes, weighted to the lead bytes E0, E2, ED and continuation bytes.
	rnd := rand.New(rand.NewPCG(18, 10))
	pick := []byte{0xe0, 0xe2, 0xed, 0xe4, 0xef, 0x80, 0xa0, 0xa8, 0xa9, 0xbf, 0x9f, 'a', '"', '\\', 0x01, 0xc3, 0xf0}
	for range 20000 {
		b := make([]byte, rnd.IntN(24))
		for i := range b {
			if rnd.IntN(4) == 0 {
				b[i] = byte(rnd.IntN(256))
			} else {
				b[i] = pick[rnd.IntN(len(pick))]
			}
		}
		samples = append(samples, string(b))
	}
	for _, s := range samples {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		want := strings.TrimSuffix(buf.String(), "\n")
		if got := string(AppendString(nil, s)); got != want {
			t.Errorf("AppendString(%q) = %s, encoding/json writes %s", s, got, want)
		}
	}
}

// randomJSON writes a random JSON value with shuffled keys and random
// whitespace; written twice from one seed tree, both texts canonicalise to
// the same bytes.
type jsonTreeNode struct {
	leaf string
	keys []string
	kids []jsonTreeNode
	arr  bool
}

func randomTree(r *rand.Rand, depth int) jsonTreeNode {
	leaves := []string{`null`, `true`, `false`, `0`, `-1.50`, `1e9`, `"湖州"`, `"<&>"`, `"a\nb"`, `"\u00e9"`, `""`}
	if depth == 0 || r.IntN(3) == 0 {
		return jsonTreeNode{leaf: leaves[r.IntN(len(leaves))]}
	}
	n := jsonTreeNode{arr: r.IntN(2) == 0}
	for i := range r.IntN(5) {
		n.keys = append(n.keys, "k"+strconv.Itoa(i)+string(rune('a'+r.IntN(26))))
		n.kids = append(n.kids, randomTree(r, depth-1))
	}
	return n
}

func (n jsonTreeNode) write(r *rand.Rand, b *strings.Builder) {
	ws := func() { b.WriteString([]string{"", " ", "\n\t", "  "}[r.IntN(4)]) }
	ws()
	switch {
	case n.leaf != "":
		b.WriteString(n.leaf)
	case n.arr:
		b.WriteByte('[')
		for i, k := range n.kids {
			if i > 0 {
				b.WriteByte(',')
			}
			k.write(r, b)
		}
		b.WriteByte(']')
	default:
		b.WriteByte('{')
		for i, j := range r.Perm(len(n.kids)) {
			if i > 0 {
				b.WriteByte(',')
			}
			ws()
			b.WriteString(strconv.Quote(n.keys[j]) + ":")
			n.kids[j].write(r, b)
		}
		b.WriteByte('}')
	}
	ws()
}

func TestCanonicalDeterministic(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 300 {
		tree := randomTree(r, 4)
		var a, b strings.Builder
		tree.write(r, &a)
		tree.write(r, &b)
		ca, cb := mustCanonical(t, []byte(a.String())), mustCanonical(t, []byte(b.String()))
		if ca != cb {
			t.Fatalf("same value, different canonical forms:\n%s\n%s\nfrom\n%s\n%s", ca, cb, a.String(), b.String())
		}
		// No leaf or key holds raw whitespace, so any left would be
		// insignificant whitespace the canonical form must not have.
		if !utf8.ValidString(ca) || strings.ContainsAny(ca, " \t\n\r") {
			t.Fatalf("invalid UTF-8 or whitespace left in %s", ca)
		}
	}
}
