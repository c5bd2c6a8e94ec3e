package canon

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
)

// Canonical returns the canonical JSON form of v, the form every decision
// record is hashed in: object keys sorted by their bytes, no insignificant
// whitespace, no HTML escaping, numbers exactly as written and UTF-8 text as
// is (only '"', '\\', control characters and U+2028/U+2029 are escaped,
// exactly as encoding/json writes them, so the canonical form of the
// catalogue and policy documents is their stored form).
//
// A json.RawMessage or []byte is taken as JSON text and re-canonicalised;
// anything else is marshalled with encoding/json first. Raw JSON with a
// duplicate key, invalid UTF-8 or a lone surrogate escape is refused rather
// than silently normalised: two different texts must never share one
// canonical form, or a tampered record could hash like the original.
func Canonical(v any) ([]byte, error) {
	var raw []byte
	switch x := v.(type) {
	case json.RawMessage:
		raw = x
	case []byte:
		raw = x
	default:
		b, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("canonical JSON: %w", err)
		}
		raw = b
	}
	p := canonParser{in: raw}
	p.skipSpace()
	out, err := p.value(make([]byte, 0, len(raw)))
	if err != nil {
		return nil, err
	}
	if p.skipSpace(); p.pos != len(p.in) {
		return nil, p.fail("data after the JSON value")
	}
	return out, nil
}

// Marshal is Canonical for the service's own record structs, without
// the re-parse: a struct whose fields are declared in sorted key order, with
// only strings, bools, integers, slices, pointers and such structs inside,
// is written by encoding/json (HTML escaping off) exactly in canonical
// form. TestRecordKeysDeclaredSorted holds every record type of the package
// to that, and every record decoder re-encodes and compares with the
// canonical text, so a field out of order fails loudly rather than writing
// a record whose hash no one else could recompute. Raw JSON inside must be
// canonical already. Re-parsing was a fifth of a quote's server CPU.
func Marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("canonical JSON: %w", err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// maxCanonDepth bounds nesting; records are a few levels deep, and the bound
// keeps hostile input from exhausting the stack.
const maxCanonDepth = 200

// canonParser reads JSON text and writes its canonical form in one pass.
// Objects are the only values it cannot write as it reads: their members
// are written in document order, then reordered by key.
type canonParser struct {
	in      []byte
	pos     int
	depth   int
	members []canonMember // a stack shared by the objects being read
	scratch []byte        // reused when reordering an object's members
}

func (p *canonParser) fail(format string, args ...any) error {
	return fmt.Errorf("canonical JSON: at byte %d: %s", p.pos, fmt.Sprintf(format, args...))
}

func (p *canonParser) skipSpace() {
	for p.pos < len(p.in) {
		switch p.in[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *canonParser) value(out []byte) ([]byte, error) {
	if p.pos >= len(p.in) {
		return nil, p.fail("unexpected end of input")
	}
	switch c := p.in[p.pos]; {
	case c == '{':
		return p.object(out)
	case c == '[':
		return p.array(out)
	case c == '"':
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		return s.appendTo(out), nil
	case c == '-' || ('0' <= c && c <= '9'):
		return p.number(out)
	}
	for _, lit := range []string{"true", "false", "null"} {
		if len(p.in)-p.pos >= len(lit) && string(p.in[p.pos:p.pos+len(lit)]) == lit {
			p.pos += len(lit)
			return append(out, lit...), nil
		}
	}
	return nil, p.fail("invalid character %q", p.in[p.pos])
}

// enter guards the nesting depth of objects and arrays.
func (p *canonParser) enter() error {
	if p.depth++; p.depth > maxCanonDepth {
		return p.fail("nested more than %d levels", maxCanonDepth)
	}
	return nil
}

type canonMember struct {
	key        jsonText
	start, end int // the member's canonical value in the output buffer
}

func (p *canonParser) object(out []byte) ([]byte, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	p.pos++ // '{'
	base, first := len(out), len(p.members)
	defer func() { p.members = p.members[:first] }()
	for p.skipSpace(); ; p.skipSpace() {
		if p.pos < len(p.in) && p.in[p.pos] == '}' && len(p.members) == first {
			p.pos++
			return append(out, '{', '}'), nil
		}
		if p.pos >= len(p.in) || p.in[p.pos] != '"' {
			return nil, p.fail("expected an object key")
		}
		key, err := p.str()
		if err != nil {
			return nil, err
		}
		if p.skipSpace(); p.pos >= len(p.in) || p.in[p.pos] != ':' {
			return nil, p.fail("expected ':' after object key")
		}
		p.pos++
		p.skipSpace()
		start := len(out)
		if out, err = p.value(out); err != nil {
			return nil, err
		}
		p.members = append(p.members, canonMember{key: key, start: start, end: len(out)})
		if p.skipSpace(); p.pos < len(p.in) && p.in[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.pos < len(p.in) && p.in[p.pos] == '}' {
			p.pos++
			break
		}
		return nil, p.fail("expected ',' or '}' in object")
	}
	members := p.members[first:]
	byKey := func(a, b canonMember) int { return bytes.Compare(a.key.text, b.key.text) }
	slices.SortStableFunc(members, byKey)
	for i := 1; i < len(members); i++ {
		if bytes.Equal(members[i].key.text, members[i-1].key.text) {
			return nil, p.fail("duplicate object key %q", members[i].key.text)
		}
	}
	// The values were written in document order; copy them aside and write
	// the members back in key order.
	p.scratch = append(p.scratch[:0], out[base:]...)
	out = append(out[:base], '{')
	for i, m := range members {
		if i > 0 {
			out = append(out, ',')
		}
		out = m.key.appendTo(out)
		out = append(out, ':')
		out = append(out, p.scratch[m.start-base:m.end-base]...)
	}
	return append(out, '}'), nil
}

func (p *canonParser) array(out []byte) ([]byte, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	p.pos++ // '['
	out = append(out, '[')
	for n := 0; ; n++ {
		p.skipSpace()
		if n == 0 && p.pos < len(p.in) && p.in[p.pos] == ']' {
			p.pos++
			return append(out, ']'), nil
		}
		if n > 0 {
			out = append(out, ',')
		}
		var err error
		if out, err = p.value(out); err != nil {
			return nil, err
		}
		if p.skipSpace(); p.pos < len(p.in) && p.in[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.pos < len(p.in) && p.in[p.pos] == ']' {
			p.pos++
			return append(out, ']'), nil
		}
		return nil, p.fail("expected ',' or ']' in array")
	}
}

// number copies a number verbatim after checking the JSON grammar:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (p *canonParser) number(out []byte) ([]byte, error) {
	start := p.pos
	digits := func() int {
		n := 0
		for p.pos < len(p.in) && '0' <= p.in[p.pos] && p.in[p.pos] <= '9' {
			p.pos, n = p.pos+1, n+1
		}
		return n
	}
	if p.in[p.pos] == '-' {
		p.pos++
	}
	if p.pos < len(p.in) && p.in[p.pos] == '0' {
		p.pos++
	} else if digits() == 0 {
		return nil, p.fail("malformed number")
	}
	if p.pos < len(p.in) && p.in[p.pos] == '.' {
		if p.pos++; digits() == 0 {
			return nil, p.fail("malformed number")
		}
	}
	if p.pos < len(p.in) && (p.in[p.pos] == 'e' || p.in[p.pos] == 'E') {
		p.pos++
		if p.pos < len(p.in) && (p.in[p.pos] == '+' || p.in[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			return nil, p.fail("malformed number")
		}
	}
	return append(out, p.in[start:p.pos]...), nil
}
