package canon

import (
	"bytes"
	"unicode/utf8"
)

// IsCanonical reports whether b is its own canonical form — Canonical(b)
// would return exactly b — without building that form: no whitespace,
// object keys strictly increasing by their bytes (so no duplicates),
// strings written as AppendString writes them, numbers that parse.
// It may answer false for a canonical text it is unsure of (a key with an
// escape in it); it never answers true for one that is not, which
// FuzzIsCanonical checks against Canonical itself. A stored decision's
// inputs and outputs are checked so, in one pass without allocation,
// before they are trusted as canonical.
func IsCanonical(b []byte) bool {
	v := canonCheck{in: b}
	return v.value() && v.pos == len(b)
}

type canonCheck struct {
	in    []byte
	pos   int
	depth int
}

func (v *canonCheck) value() bool {
	if v.pos >= len(v.in) {
		return false
	}
	switch c := v.in[v.pos]; {
	case c == '{':
		return v.nested(v.object)
	case c == '[':
		return v.nested(v.array)
	case c == '"':
		_, ok := v.str()
		return ok
	case c == '-' || ('0' <= c && c <= '9'):
		p := canonParser{in: v.in, pos: v.pos}
		if _, err := p.number(nil); err != nil {
			return false
		}
		v.pos = p.pos
		return true
	}
	for _, lit := range [...]string{"true", "false", "null"} {
		if bytes.HasPrefix(v.in[v.pos:], []byte(lit)) {
			v.pos += len(lit)
			return true
		}
	}
	return false
}

func (v *canonCheck) nested(f func() bool) bool {
	if v.depth++; v.depth > maxCanonDepth {
		return false
	}
	ok := f()
	v.depth--
	return ok
}

func (v *canonCheck) object() bool {
	v.pos++ // '{'
	if v.pos < len(v.in) && v.in[v.pos] == '}' {
		v.pos++
		return true
	}
	var prev []byte
	for first := true; ; first = false {
		if v.pos >= len(v.in) || v.in[v.pos] != '"' {
			return false
		}
		key, ok := v.str()
		if !ok || bytes.IndexByte(key, '\\') >= 0 || (!first && bytes.Compare(key, prev) <= 0) {
			return false
		}
		prev = key
		if v.pos >= len(v.in) || v.in[v.pos] != ':' {
			return false
		}
		v.pos++
		if !v.value() || v.pos >= len(v.in) {
			return false
		}
		switch v.in[v.pos] {
		case ',':
			v.pos++
		case '}':
			v.pos++
			return true
		default:
			return false
		}
	}
}

func (v *canonCheck) array() bool {
	v.pos++ // '['
	if v.pos < len(v.in) && v.in[v.pos] == ']' {
		v.pos++
		return true
	}
	for {
		if !v.value() || v.pos >= len(v.in) {
			return false
		}
		switch v.in[v.pos] {
		case ',':
			v.pos++
		case ']':
			v.pos++
			return true
		default:
			return false
		}
	}
}

// str checks a string at v.pos (a quote) and returns its raw content. Only
// the escapes AppendString writes are canonical: \" \\ \b \f \n \r \t,
// \u00xx (lower-case hex) for the other control characters, and \u2028,
// \u2029; raw text must be valid UTF-8 without U+2028 or U+2029.
func (v *canonCheck) str() ([]byte, bool) {
	start := v.pos + 1
	nonASCII := false
	for i := start; i < len(v.in); i++ {
		switch c := v.in[i]; {
		case c == '"':
			raw := v.in[start:i]
			if nonASCII && (!utf8.Valid(raw) || bytes.Contains(raw, []byte("\u2028")) || bytes.Contains(raw, []byte("\u2029"))) {
				return nil, false
			}
			v.pos = i + 1
			return raw, true
		case c < 0x20:
			return nil, false
		case c >= utf8.RuneSelf:
			nonASCII = true
		case c == '\\':
			n, ok := canonicalEscape(v.in[i:])
			if !ok {
				return nil, false
			}
			i += n - 1
		}
	}
	return nil, false
}

// canonicalEscape returns the length of the escape at the start of b (a
// backslash) when it is one AppendString writes.
func canonicalEscape(b []byte) (int, bool) {
	if len(b) < 2 {
		return 0, false
	}
	switch b[1] {
	case '"', '\\', 'b', 'f', 'n', 'r', 't':
		return 2, true
	case 'u':
		if len(b) < 6 {
			return 0, false
		}
		switch u := string(b[2:6]); {
		case u == "2028" || u == "2029":
			return 6, true
		case u[0] == '0' && u[1] == '0' && isLowerHex(u[2]) && isLowerHex(u[3]):
			// A control character without a short escape of its own.
			c := rune(hexVal(u[2])<<4 | hexVal(u[3]))
			return 6, c < 0x20 && c != '\b' && c != '\f' && c != '\n' && c != '\r' && c != '\t'
		}
	}
	return 0, false
}

func isLowerHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' }

func hexVal(c byte) int {
	if c <= '9' {
		return int(c - '0')
	}
	return int(c-'a') + 10
}
