package canon

import (
	"bytes"
	"unicode/utf16"
	"unicode/utf8"
)

// jsonText is a decoded JSON string. verbatim marks text that is its own
// canonical encoding (nothing in it needs escaping), which is then copied
// instead of re-encoded: the common case, and no allocation.
type jsonText struct {
	text     []byte
	verbatim bool
}

func (s jsonText) appendTo(out []byte) []byte {
	if s.verbatim {
		out = append(out, '"')
		out = append(out, s.text...)
		return append(out, '"')
	}
	return AppendString(out, string(s.text))
}

// str reads a JSON string at p.pos (which is '"'). Unescaped strings are
// returned as slices of the input; escapes are decoded so that "\u00e9"
// and "é" canonicalise alike.
func (p *canonParser) str() (jsonText, error) {
	p.pos++ // opening quote
	start := p.pos
	nonASCII := false
	for p.pos < len(p.in) {
		c := p.in[p.pos]
		switch {
		case c == '"':
			raw := p.in[start:p.pos]
			p.pos++
			if !nonASCII {
				return jsonText{text: raw, verbatim: true}, nil
			}
			if !utf8.Valid(raw) {
				return jsonText{}, p.fail("invalid UTF-8 in string")
			}
			// encoding/json escapes U+2028 and U+2029; so must we.
			sep := bytes.Contains(raw, []byte("\u2028")) || bytes.Contains(raw, []byte("\u2029"))
			return jsonText{text: raw, verbatim: !sep}, nil
		case c == '\\':
			return p.escapedStr(start)
		case c < 0x20:
			return jsonText{}, p.fail("control character in string")
		case c >= utf8.RuneSelf:
			nonASCII = true
		}
		p.pos++
	}
	return jsonText{}, p.fail("unterminated string")
}

// escapedStr continues str from the first backslash, decoding escapes.
func (p *canonParser) escapedStr(start int) (jsonText, error) {
	buf := append([]byte(nil), p.in[start:p.pos]...)
	for p.pos < len(p.in) {
		c := p.in[p.pos]
		switch {
		case c == '"':
			p.pos++
			if !utf8.Valid(buf) {
				return jsonText{}, p.fail("invalid UTF-8 in string")
			}
			return jsonText{text: buf}, nil
		case c < 0x20:
			return jsonText{}, p.fail("control character in string")
		case c != '\\':
			buf = append(buf, c)
			p.pos++
			continue
		}
		if p.pos+1 >= len(p.in) {
			break
		}
		esc := p.in[p.pos+1]
		p.pos += 2
		switch esc {
		case '"', '\\', '/':
			buf = append(buf, esc)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, err := p.unicodeEscape()
			if err != nil {
				return jsonText{}, err
			}
			buf = utf8.AppendRune(buf, r)
		default:
			return jsonText{}, p.fail("invalid escape \\%c", esc)
		}
	}
	return jsonText{}, p.fail("unterminated string")
}

// unicodeEscape reads the XXXX of \uXXXX (p.pos is after the 'u'), and the
// low half of a surrogate pair when the first is a high half. A lone
// surrogate is refused: encoding/json would turn it into U+FFFD, making two
// texts canonicalise alike.
func (p *canonParser) unicodeEscape() (rune, error) {
	r, ok := p.hex4()
	if !ok {
		return 0, p.fail("invalid \\u escape")
	}
	if !utf16.IsSurrogate(r) {
		return r, nil
	}
	if p.pos+1 < len(p.in) && p.in[p.pos] == '\\' && p.in[p.pos+1] == 'u' {
		p.pos += 2
		if lo, ok := p.hex4(); ok {
			if pair := utf16.DecodeRune(r, lo); pair != utf8.RuneError {
				return pair, nil
			}
		}
	}
	return 0, p.fail("lone UTF-16 surrogate in \\u escape")
}

func (p *canonParser) hex4() (rune, bool) {
	if len(p.in)-p.pos < 4 {
		return 0, false
	}
	var r rune
	for _, c := range p.in[p.pos : p.pos+4] {
		switch {
		case '0' <= c && c <= '9':
			r = r<<4 | rune(c-'0')
		case 'a' <= c && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case 'A' <= c && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	p.pos += 4
	return r, true
}

const hexDigits = "0123456789abcdef"

// plainASCII marks the ASCII bytes AppendString copies as they are (none
// from 0x80 up: those start multi-byte sequences).
var plainASCII = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// AppendString writes s as a JSON string exactly as encoding/json does
// with HTML escaping off: '"', '\\' and control characters escaped (\b \f
// \n \r \t by name), U+2028 and U+2029 as \u escapes, invalid UTF-8 as
// U+FFFD, everything else as is.
//
// The response messages are bilingual, and decoding every Chinese
// character as a rune was most of writing an eligibility answer, so a
// well-formed three-byte sequence whose lead byte is neither E0 nor ED
// (which restrict the second byte: overlong forms, surrogates) nor E2 (the
// lead of U+2028 and U+2029) is copied after checking its two continuation
// bytes only; every other sequence is decoded as before.
func AppendString(out []byte, s string) []byte {
	out = append(out, '"')
	start := 0
	for i := 0; i < len(s); {
		for i < len(s) && plainASCII[s[i]] {
			i++
		}
		if i == len(s) {
			break
		}
		if c := s[i]; c < utf8.RuneSelf {
			out = append(out, s[start:i]...)
			switch c {
			case '"', '\\':
				out = append(out, '\\', c)
			case '\b':
				out = append(out, '\\', 'b')
			case '\f':
				out = append(out, '\\', 'f')
			case '\n':
				out = append(out, '\\', 'n')
			case '\r':
				out = append(out, '\\', 'r')
			case '\t':
				out = append(out, '\\', 't')
			default:
				out = append(out, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		if c := s[i]; c >= 0xe1 && c <= 0xef && c != 0xe2 && c != 0xed && i+2 < len(s) &&
			s[i+1]&0xc0 == 0x80 && s[i+2]&0xc0 == 0x80 {
			i += 3
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			out = append(out, s[start:i]...)
			out = append(out, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			out = append(out, s[start:i]...)
			out = append(out, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	out = append(out, s[start:]...)
	return append(out, '"')
}
