package canon

import (
	"bytes"
	"strings"
	"testing"
)

// IsCanonical must agree with Canonical: true exactly for texts Canonical
// leaves as they are (here every case but the escaped key, where it may
// conservatively say false), false for every way a text can differ.
func TestIsCanonical(t *testing.T) {
	canonical := []string{`{}`, `[]`, `""`, `0`, `-0`, `1.5e3`, `true`, `null`, `{"a":1,"b":[true,null,"x"]}`,
		`{"a":{"a":{}},"b":"c"}`, `"é 湖州"`, `"\"\\\b\f\n\r\t"`, `"\u0001\u001f"`, `"\u2028\u2029"`,
		`{"A":1,"_":2,"a":3}`, `["<>&"]`}
	for _, c := range canonical {
		if out, err := Canonical([]byte(c)); err != nil || string(out) != c {
			t.Fatalf("fixture %s is not canonical: %s %v", c, out, err)
		}
		if !IsCanonical([]byte(c)) {
			t.Errorf("IsCanonical(%s) = false, want true", c)
		}
	}
	notCanonical := []string{``, ` {}`, `{} `, `{ }`, `{"b":1,"a":2}`, `{"a":1,"a":2}`, `[1, 2]`, `{"a" :1}`,
		`"\/"`, `"\u0041"`, `"\u001F"`, `"\u000a"`, `"\u00e9"`, "\"\u2028\"", "\"\xff\"", "\"a\x01\"", `01`, `1.`,
		`+1`, `tru`, `{"a":1,}`, `[1,]`, `{"a"}`, `"abc`, `{"\u0061":1}`, `[1]]`, strings.Repeat("[", 300) + strings.Repeat("]", 300)}
	for _, c := range notCanonical {
		if IsCanonical([]byte(c)) {
			out, err := Canonical([]byte(c))
			t.Errorf("IsCanonical(%q) = true; Canonical gives %q, %v", c, out, err)
		}
	}
}

// FuzzIsCanonical holds IsCanonical to Canonical: whatever it accepts,
// Canonical must give back unchanged.
func FuzzIsCanonical(f *testing.F) {
	for _, s := range []string{`{"a":1,"b":[true,null,"x"]}`, `{"b":1,"a":2}`, `"\u0001"`, `"\u00e9"`, `[1.5e3,-0]`,
		`{"a":1,"a":2}`, "\"\u2028\"", `"\u2028"`, `{"\u0061":1}`, ` []`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !IsCanonical(data) {
			return
		}
		c, err := Canonical(data)
		if err != nil || !bytes.Equal(c, data) {
			t.Fatalf("IsCanonical(%q) but Canonical gives %q, %v", data, c, err)
		}
	})
}
